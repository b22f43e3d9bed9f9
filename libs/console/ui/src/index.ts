export * from './lib/region-cascader';
