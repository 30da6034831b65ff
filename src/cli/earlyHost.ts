import { silentLogger } from "../engine/logger";
import { SETTINGS, settingValues } from "../workspace/settings/settings";
import { EarlyHost } from "../workspace/toolHost/hostProcess";
import { readVsCodeSettings, vsCodeSettingsFile } from "./vsCodeSettingsFile";

/**
 * Starts the tool host before the rest of llmfn loads, with the memory limit the
 * folder's settings ask for as far as a quick read tells (the settings are validated later:
 * the session takes this host over only if it would have started the same one). Undefined when
 * the installation is incomplete, which the session reports in its own words.
 */
export async function startEarlyHost(workspace: string | undefined): Promise<EarlyHost | undefined> {
  // Warnings about the file come from the full read, once.
  const raw = await readVsCodeSettings(vsCodeSettingsFile(workspace), silentLogger);
  const { memoryMb } = settingValues((name) => raw[SETTINGS[name].key]);
  return EarlyHost.start(memoryMb);
}
