export declare const npmEnv: NodeJS.ProcessEnv;
export declare const PACKAGES: readonly string[];
export declare function packPackage(packageDir: string, destination: string): Promise<{ file: string; size: number }>;
