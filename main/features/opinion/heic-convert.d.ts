/** heic-convert ships no types: the one call the photo preparation makes. */
declare module 'heic-convert' {
  const convert: (options: { buffer: Uint8Array; format: 'JPEG' | 'PNG'; quality?: number }) => Promise<ArrayBuffer>;
  export default convert;
}
