/** LINKTYPE_* values (tcpdump.org/linktypes) understood by the packet decoder. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  /** DLT_RAW as written by some systems (12 on most, 14 on OpenBSD). */
  RAW_12: 12,
  RAW_14: 14,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  PPP: 0x880b,
  MPLS: 0x8847,
  MPLS_MC: 0x8848,
  PPPOE_DISCOVERY: 0x8863,
  PPPOE_SESSION: 0x8864,
  QINQ: 0x88a8,
  ERSPAN_2: 0x88be,
  ERSPAN_3: 0x22eb,
  TEB: 0x6558,
  QINQ_OLD: 0x9100,
  QINQ_OLD2: 0x9200,
} as const;
