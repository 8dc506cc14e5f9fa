export function readmeTables(): Promise<{ inputs: string; outputs: string }>;
export function readmeWithTables(readme: string): Promise<string>;
export function providersOf(description: string): { providers: string; text: string };
