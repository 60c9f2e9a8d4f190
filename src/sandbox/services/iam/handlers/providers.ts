/**
 * IAM identity providers. The sandbox federates with no OIDC or SAML provider (the lab's
 * principals are roles assumed with STS AssumeRole), so both lists are empty.
 */
import type { IAM } from '@aws-sdk/client-iam';
import type { HandlerMap } from '../../types.js';

/** ListOpenIDConnectProviders and ListSAMLProviders (neither pages). */
export const providerHandlers: HandlerMap<IAM> = {
  ListOpenIDConnectProviders() {
    return { OpenIDConnectProviderList: [] };
  },

  ListSAMLProviders() {
    return { SAMLProviderList: [] };
  },
};
