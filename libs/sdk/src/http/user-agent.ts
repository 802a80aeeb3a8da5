/** Sent as User-Agent unless the caller names its own: lets operators tell SDK traffic apart in their logs. */
export const SDK_VERSION = '0.1.0';
export const SDK_USER_AGENT = `agentmarket-sdk/${SDK_VERSION} node/${process.versions.node}`;
