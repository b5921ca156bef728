/**
 * ISO 4217 currency codes in circulation (2025 list), plus the precious metals ISO 4217 also
 * codes (XAU gold, XAG silver, XPT platinum, XPD palladium), which every FX venue quotes as
 * currencies. Fund, test and settlement codes (XDR, XTS, XXX, XBA-XBD, XSU, XUA, BOV, CLF, ...)
 * are left out: nothing trades them as a pair. HRK (Croatia, euro since 2023) and the
 * offshore yuan CNH, not in ISO 4217 but quoted by every FX provider, are kept so their
 * history and quotes are recognised.
 */
const CODES = `
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN
BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW
KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD
NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS
VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL HRK CNH
`;

export const PRECIOUS_METALS: ReadonlySet<string> = new Set(['XAU', 'XAG', 'XPT', 'XPD']);

export const FX_CURRENCIES: ReadonlySet<string> = new Set([...CODES.trim().split(/\s+/), ...PRECIOUS_METALS]);

export interface SymbolPair {
  base: string;
  quote: string;
}

/** `BASE-QUOTE` or `BASE/QUOTE` (quote three to six letters) into its two legs; undefined otherwise. */
export function splitPair(symbol: string): SymbolPair | undefined {
  const match = /^([A-Z0-9]{2,15})[-/]([A-Z]{3,6})$/.exec(symbol.trim().toUpperCase());
  const base = match?.[1];
  const quote = match?.[2];
  return base === undefined || quote === undefined ? undefined : { base, quote };
}

/**
 * Foreign exchange when both legs are currencies of ISO 4217 (metals included): EUR-USD,
 * USD-JPY, XAU-USD. A leg that is not (BTC, USDT, ETH) makes the pair crypto, whatever its quote.
 */
export function isFxPair(pair: SymbolPair): boolean {
  return FX_CURRENCIES.has(pair.base) && FX_CURRENCIES.has(pair.quote);
}
