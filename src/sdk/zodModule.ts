// zod as workspace declaration files see it when their folder has no zod of its own.
export * from "zod";
export { z as default } from "zod";
