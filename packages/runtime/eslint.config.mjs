export { default } from '@only1mcp/eslint-config';
