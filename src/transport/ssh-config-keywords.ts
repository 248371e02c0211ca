/**
 * The keywords of OpenSSH 9.2's ssh_config (readconf.c `keywords[]`) that `ssh-config.ts` does not
 * honour, so that it can tell them from keywords OpenSSH does not know at all.
 * @module
 */

/** Keywords OpenSSH 9.2 accepts and ignores (deprecated or unsupported options): not reported. */
export const IGNORED_KEYWORDS: ReadonlySet<string> = new Set([
  'protocol', 'cipher', 'fallbacktorsh', 'globalknownhostsfile2', 'rhostsauthentication',
  'userknownhostsfile2', 'useroaming', 'usersh', 'useprivilegedport', 'afstokenpassing',
  'kerberosauthentication', 'kerberostgtpassing', 'rsaauthentication', 'rhostsrsaauthentication',
  'compressionlevel',
]);

/** The other keywords of OpenSSH 9.2 that are not honoured here: reported when they apply. */
export const NOT_HONOURED_KEYWORDS: ReadonlySet<string> = new Set([
  'gssapiauthentication', 'gssapidelegatecredentials', 'pkcs11provider', 'smartcarddevice',
  'forwardagent', 'forwardx11', 'forwardx11trusted', 'forwardx11timeout', 'exitonforwardfailure',
  'xauthlocation', 'gatewayports', 'passwordauthentication', 'kbdinteractiveauthentication',
  'kbdinteractivedevices', 'challengeresponseauthentication', 'skeyauthentication',
  'tisauthentication', 'pubkeyauthentication', 'dsaauthentication', 'hostbasedauthentication',
  'certificatefile', 'addkeystoagent', 'ciphers', 'macs', 'remoteforward', 'localforward',
  'permitremoteopen', 'escapechar', 'globalknownhostsfile', 'connectionattempts', 'batchmode',
  'checkhostip', 'compression', 'tcpkeepalive', 'keepalive', 'numberofpasswordprompts',
  'syslogfacility', 'loglevel', 'logverbose', 'dynamicforward', 'preferredauthentications',
  'hostkeyalgorithms', 'casignaturealgorithms', 'bindaddress', 'bindinterface',
  'clearallforwardings', 'enablesshkeysign', 'verifyhostkeydns',
  'nohostauthenticationforlocalhost', 'rekeylimit', 'addressfamily', 'sendenv', 'setenv',
  'controlpath', 'controlmaster', 'controlpersist', 'hashknownhosts', 'tunnel', 'tunneldevice',
  'localcommand', 'permitlocalcommand', 'remotecommand', 'visualhostkey', 'kexalgorithms', 'ipqos',
  'requesttty', 'sessiontype', 'stdinnull', 'forkafterauthentication', 'proxyusefdpass',
  'canonicaldomains', 'canonicalizefallbacklocal', 'canonicalizemaxdots',
  'canonicalizepermittedcnames', 'streamlocalbindmask', 'streamlocalbindunlink', 'revokedhostkeys',
  'fingerprinthash', 'updatehostkeys', 'hostbasedacceptedalgorithms', 'hostbasedkeytypes',
  'pubkeyacceptedalgorithms', 'pubkeyacceptedkeytypes', 'securitykeyprovider', 'knownhostscommand',
  'requiredrsasize', 'enableescapecommandline',
]);
