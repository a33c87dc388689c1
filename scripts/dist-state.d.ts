/** Types of dist-state.js, for the TypeScript that imports it (the test setup). */
export declare const BUILD_STAMP: string;
export declare function distStaleness(root: string): string | null;
