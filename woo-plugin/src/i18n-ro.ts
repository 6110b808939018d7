export const RO: Record<string, string> = {};
