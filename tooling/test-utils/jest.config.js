module.exports = require('@only1mcp/jest-preset').createJestConfig(__dirname);
