/** Exit code for a command that ran and failed. */
export const EXIT_FAILURE = 1;
/** Exit code for a command line that could not be understood. */
export const EXIT_USAGE = 2;
