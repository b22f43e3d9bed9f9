// The lint rules of every console lib (libs/console/*/eslint.config.mjs re-export this; globs resolve from each lib's folder).
import nx from "@nx/eslint-plugin";
import baseConfig from "../../eslint.config.mjs";

export default [
    ...nx.configs["flat/angular"],
    ...nx.configs["flat/angular-template"],
    ...baseConfig,
    {
        files: ["**/*.ts"],
        rules: {
            "@angular-eslint/directive-selector": ["error", { type: "attribute", prefix: "lg", style: "camelCase" }],
            "@angular-eslint/component-selector": ["error", { type: "element", prefix: "lg", style: "kebab-case" }]
        }
    },
    {
        files: ["**/*.html"],
        rules: {
            // ng-zorro's form controls render their own input inside a wrapping <label>.
            "@angular-eslint/template/label-has-associated-control": ["error", {
                controlComponents: ["nz-select", "nz-input-number", "nz-date-picker", "nz-range-picker", "nz-time-picker", "nz-cascader", "nz-switch", "nz-radio-group", "nz-checkbox-group", "nz-slider"]
            }]
        }
    }
];
