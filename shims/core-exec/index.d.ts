export declare function exec(): never;
export declare function getExecOutput(): never;
