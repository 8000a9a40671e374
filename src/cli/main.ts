#!/usr/bin/env node
import { CommanderError } from "commander";
import { createProgram } from "./program.js";

// The entry point only maps outcomes to exit codes; commands live in their own modules.
try {
  await createProgram().parseAsync(process.argv);
  process.exit(0);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
