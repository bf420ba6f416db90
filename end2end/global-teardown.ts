import * as fs from "fs";
import * as path from "path";
import { SERVER_LOG } from "./playwright.config";

// The suite fails when the server logged an error it did not expect: an ERROR line is a bug
// (a failed query, a broken invariant) even when every page looked right to the browser.
// Refusals the tests provoke on purpose (wrong password, missing permission) are not errors
// and must be logged below ERROR.

/**
 * ERROR lines that are expected. Each entry matches the line with its escape codes removed;
 * say next to it which test provokes it and why it is not a bug. Keep this list short.
 */
export const ALLOWED_ERRORS: RegExp[] = [];

// Colour and style escapes: tracing-subscriber's text formats use them unless NO_COLOR is set.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
// `2026-12-01T23:59:59.000000Z ERROR ...`: a timestamp (if the format has one), then the level.
const TEXT_LINE = /^\s*(?:\d{4}-\d{2}-\d{2}T\S+\s+)?(TRACE|DEBUG|INFO|WARN|ERROR)\b/;

function level(line: string): string | undefined {
  // SHOPASSIST_LOG_FORMAT=json writes one object a line; read its level the same way.
  if (line.startsWith("{")) {
    try {
      const value = JSON.parse(line).level;
      return typeof value === "string" ? value.toUpperCase() : undefined;
    } catch {
      return undefined;
    }
  }
  return TEXT_LINE.exec(line)?.[1];
}

/** The lines of `log` that are errors and not allowed: ERROR entries, and panics (which bypass the logger). */
export function unexpectedErrors(log: string, allowed: RegExp[] = ALLOWED_ERRORS): string[] {
  return log
    .split(/\r?\n/)
    .map((line) => line.replace(ANSI, "").trimEnd())
    .filter((line) => level(line) === "ERROR" || / panicked at /.test(line))
    .filter((line) => !allowed.some((re) => re.test(line)));
}

export default async function globalTeardown() {
  // SERVER_LOG is relative to the repository root, where the web server runs.
  const file = path.resolve(__dirname, "..", SERVER_LOG);
  // The web server started (or this would not run), so its log must be there: a missing one
  // means the check silently stopped working.
  if (!fs.existsSync(file)) {
    throw new Error(`No server log at ${file}: the webServer command in playwright.config.ts must write it.`);
  }
  const errors = unexpectedErrors(fs.readFileSync(file, "utf8"));
  if (errors.length > 0) {
    throw new Error(
      `The server logged ${errors.length} unexpected error(s) (see ${file}; ` +
        `add an entry to ALLOWED_ERRORS in end2end/global-teardown.ts only for an expected one):\n` +
        errors.map((line) => `  ${line}`).join("\n"),
    );
  }
}
