/** Ollama names `qwen3` and `qwen3:latest` the same model. */
export function modelAvailable(model: string, models: readonly string[]): boolean {
  const normalize = (name: string) => (name.includes(":") ? name : `${name}:latest`);
  return models.some((candidate) => normalize(candidate) === normalize(model));
}
