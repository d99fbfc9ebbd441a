/**
 * The IT-exports projection model: pure, deterministic, no React / I/O / clock / randomness.
 * Equations and numbered rules: ./README.md. May import nothing outside this folder.
 */
export * from './assumptions';
export * from './project';
export * from './kpis';
