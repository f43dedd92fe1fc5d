/** GET a read endpoint, waiting (X-Min-Position) until the projections have applied `minPosition`. */
export async function getJson(baseUrl: string, path: string, minPosition?: number): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (minPosition !== undefined) headers['x-min-position'] = String(minPosition);
  const response = await fetch(`${baseUrl}${path}`, { headers });
  return { status: response.status, json: await response.json() };
}
