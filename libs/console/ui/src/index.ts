export * from './lib/region-cascader';
export * from './lib/signature-pad';
