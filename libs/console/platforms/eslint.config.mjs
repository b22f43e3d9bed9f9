// One shared config for the console libs: ../eslint.config.mjs
export { default } from "../eslint.config.mjs";
