import { authorizedFetch } from '../api/client';

/** Fetches a file with the operator's token and hands it to the browser as a download. */
export async function download(path: string, filename: string, accept: string): Promise<void> {
  const response = await authorizedFetch(path, { headers: { accept } });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
