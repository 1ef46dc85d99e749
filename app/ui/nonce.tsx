// The Content-Security-Policy nonce of this response, for Remix's inline scripts. Only the
// server knows it; in the browser it is an empty string (browsers hide nonce attributes).
import { createContext, useContext } from "react";

export const NonceContext = createContext("");

export function useNonce() {
  return useContext(NonceContext);
}
