/** The bundle's entry file (main.js), built first if stale; undefined when it cannot be built here. */
export function freshCliBundle(): Promise<string | undefined>;
