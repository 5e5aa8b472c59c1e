// `@tasks/testing/fuzz`: hostile-input arbitraries and the fixed fuzz seed, without the server.
export { fuzzRuns, fuzzSeed, hostileInput, hostileNumber, hostileString, hostileTaskInput, hostileValue } from './hostile-input.ts';
