/** Where the web console is served (adminConsole.ts); its own module so start-up can print it without loading the admin app. */
export const CONSOLE_PATH = '/_kmslite/console/';
