/**
 * The IT-exports projection model: pure, deterministic, no React / I/O / clock / Math.random
 * (the analyses take a seed for their sfc32 generator).
 * Equations and numbered rules: ./README.md. May import nothing outside this folder.
 */
export * from './assumptions';
export * from './project';
export * from './actuals';
export * from './kpis';
export * from './analysis';
export * from './registry';
export * from './plausibility';
export * from './reference';
