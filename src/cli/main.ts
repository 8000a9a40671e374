#!/usr/bin/env node
import { createProgram } from "./program.js";
import { exitCodeOf, exitWhenFlushed, guardStandardStreams } from "./output.js";

// The entry point only maps outcomes to exit codes; commands live in their own modules. It exits
// only once stdout and stderr have flushed: process.exit() drops what a pipe has not taken yet.
guardStandardStreams();
await exitWhenFlushed(await createProgram().parseAsync(process.argv).then(() => 0, exitCodeOf));
