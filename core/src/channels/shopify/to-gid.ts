/** A Shopify id as its GID: a GID is kept, a number becomes `gid://shopify/<type>/<number>`. */
export const toGid = (type: string, id: string): string => (id.startsWith('gid://') ? id : `gid://shopify/${type}/${id}`);
