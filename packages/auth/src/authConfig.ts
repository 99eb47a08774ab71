/** The slices of the validated `auth:` config section this package reads. */
import type { Config } from '@only1mcp/config';

/** The `auth:` section after validation (defaults filled in). */
export type AuthConfig = NonNullable<Config['auth']>;
/** The `auth.jwt:` section after validation. */
export type JwtConfig = NonNullable<AuthConfig['jwt']>;
