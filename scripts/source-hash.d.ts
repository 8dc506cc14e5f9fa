export const INPUTS: string[];
export const STAMP: string;
export function sourceHash(): Promise<string>;
export function distHash(): Promise<string | undefined>;
