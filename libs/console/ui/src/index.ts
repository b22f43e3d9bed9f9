export * from './lib/region-cascader';
export * from './lib/signature-pad';
export * from './lib/list/list-state.core';
export * from './lib/list/list-state';
export * from './lib/list/list-page';
export * from './lib/form-dialog';
