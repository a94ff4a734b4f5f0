// Typed documents from the API's SDL (written by the webserver package, committed with it).
// `npm run codegen` regenerates src/gql/ after a schema change.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: process.env.HEADWATER_SCHEMA ?? "../src/headwater/webserver/graphql/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { JSON: "unknown" } },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
