/*
 * netconf-bench-peer: a NETCONF server that does nothing but answer, as fast as it can.
 *
 * Run as the `netconf` subsystem of an sshd (bench/peer.sh), so stdin/stdout are the SSH channel:
 *
 *   Subsystem netconf /abs/path/netconf-bench-peer /abs/path/peer.conf
 *
 * It sends its hello (base:1.0 and base:1.1; only base:1.0 with `framing=eom`; session-id = its
 * pid), reads the client's hello (end-of-message framed) and then answers every <rpc> with
 *
 *   <rpc-reply message-id="…" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data>
 *     <interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface>…</interface>…
 *   </data></rpc-reply>
 *
 * of exactly `reply_bytes` bytes (one <interface> list entry per ~200 bytes; as small as the
 * envelope allows when reply_bytes is smaller), in chunked framing with chunks of `chunk_bytes`
 * when both sides have base:1.1, end-of-message framing otherwise. <close-session> gets <ok/>,
 * then the peer exits. EOF on stdin also ends it.
 *
 * The configuration file (key=value lines: reply_bytes, chunk_bytes, framing=auto|eom) is checked
 * before every RPC (one stat(2); re-read and the reply rebuilt only when the file changed), so
 * the bench runner can switch workloads without restarting anything and every client gets
 * byte-identical replies.
 *
 * Speed: the reply document is generated once per configuration, before the hello (so never
 * inside a client's timing), with a fixed-size slot for the rpc-reply start tag, and framed by an
 * iovec array pointing into it (no copy). Answering an RPC is a scan for message-id (no XML
 * parsing), a memcpy into the slot and writev(2) calls of up to IOV_MAX pieces (megabytes each).
 * Small replies to pipelined RPCs that arrive in one read are batched into one write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define NS_BASE "urn:ietf:params:xml:ns:netconf:base:1.0"
#define EOM "]]>]]>"
#define EOM_LEN 6
/* Room reserved for the message-id in the prebuilt reply: ncclient's are 45 bytes
 * ("urn:uuid:" + a UUID); shorter ids are padded with spaces inside the start tag. */
#define ID_SLOT 64
/* Replies up to this size are batched in the output buffer; larger ones are written directly. */
#define BATCH_BYTES (256 * 1024)

static const char HDR1[] = "<rpc-reply message-id=\"";
static const char HDR2[] = "\" xmlns=\"" NS_BASE "\"><data>";
static const char FTR[] = "</data></rpc-reply>";
static const char LIST_OPEN[] = "<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\">";
static const char LIST_CLOSE[] = "</interfaces>";
static const char OK_REPLY_FMT[] = "<rpc-reply message-id=\"%.*s\" xmlns=\"" NS_BASE "\"><ok/></rpc-reply>";

struct config {
  size_t reply_bytes; /* whole rpc-reply document, framing excluded */
  size_t chunk_bytes; /* chunk size in chunked framing */
  int eom_only;       /* framing=eom: advertise base:1.0 only */
};

/* A prebuilt reply: the whole document in `doc`, with the rpc-reply start tag (message-id
 * included) at its beginning, rewritten for each RPC; `iov` frames it for the wire (chunk headers
 * interleaved with slices of doc, or doc and the EOM delimiter) without copying it. */
struct reply {
  char *doc;
  size_t len;
  size_t idw; /* room for the message-id in the start tag */
  char *headers; /* chunk headers, pointed to by iov */
  struct iovec *iov;
  int iovcnt;
  size_t wire_len;
};

static const char *conf_path;
static struct config cfg = {4096, 16384, 0};
static struct stat conf_stat;
static int chunked; /* negotiated framing */
static struct reply reply;
static const char END_OF_CHUNKS[] = "\n##\n";

static char *out;
static size_t out_len;

/* Give up: the message goes to stderr, which sshd logs. */
static void die(const char *what) {
  fprintf(stderr, "netconf-bench-peer: %s\n", what);
  exit(2);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

static void *xrealloc(void *old, size_t n) {
  void *p = realloc(old, n);
  if (!p) die("out of memory");
  return p;
}

/* ---- output ------------------------------------------------------------------------------- */

static void write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(STDOUT_FILENO, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      exit(0); /* the channel is gone: nothing left to do */
    }
    p += w;
    n -= (size_t)w;
  }
}

/* writev(2) all of iov[0..n), in batches of IOV_MAX, resuming after partial writes. */
static void writev_all(struct iovec *iov, int n) {
  while (n > 0) {
    ssize_t w = writev(STDOUT_FILENO, iov, n < IOV_MAX ? n : IOV_MAX);
    if (w < 0) {
      if (errno == EINTR) continue;
      exit(0);
    }
    while (n > 0 && (size_t)w >= iov->iov_len) {
      w -= (ssize_t)iov->iov_len;
      iov++;
      n--;
    }
    if (n > 0 && w > 0) { /* partly written: write the rest of this one on its own */
      write_all((const char *)iov->iov_base + w, iov->iov_len - (size_t)w);
      iov++;
      n--;
    }
  }
}

static void flush_out(void) {
  write_all(out, out_len);
  out_len = 0;
}

static void emit(const char *p, size_t n) {
  if (n > BATCH_BYTES) {
    flush_out();
    write_all(p, n);
    return;
  }
  if (out_len + n > BATCH_BYTES) flush_out();
  memcpy(out + out_len, p, n);
  out_len += n;
}

/* ---- configuration ------------------------------------------------------------------------ */

static void load_config(void) {
  FILE *f = fopen(conf_path, "r");
  if (!f) return; /* keep the defaults (or the last configuration read) */
  char line[256];
  while (fgets(line, sizeof line, f)) {
    char *eq = strchr(line, '=');
    if (!eq) continue;
    *eq = 0;
    const char *val = eq + 1;
    if (!strcmp(line, "reply_bytes")) cfg.reply_bytes = strtoull(val, NULL, 10);
    else if (!strcmp(line, "chunk_bytes")) {
      size_t c = strtoull(val, NULL, 10);
      cfg.chunk_bytes = c >= 1 && c <= 4294967295ULL ? c : 16384;
    } else if (!strcmp(line, "framing")) cfg.eom_only = !strncmp(val, "eom", 3);
  }
  fclose(f);
}

/* True when the configuration file changed since it was last read (the runner replaces it by
 * rename, so the inode changes; size and mtime catch in-place edits). */
static int config_changed(void) {
  struct stat st;
  if (stat(conf_path, &st) != 0) return 0;
  int changed = st.st_ino != conf_stat.st_ino || st.st_size != conf_stat.st_size ||
                st.st_mtim.tv_sec != conf_stat.st_mtim.tv_sec || st.st_mtim.tv_nsec != conf_stat.st_mtim.tv_nsec;
  conf_stat = st;
  return changed;
}

/* ---- building the reply ------------------------------------------------------------------- */

/* The rpc-reply document without its start-tag slot content: the <data> payload. Fills `doc`
 * (of `len` bytes, already sized) from `at` with interface entries, padding, close tags. */
static void fill_payload(char *doc, size_t at, size_t len) {
  size_t end = len - (sizeof FTR - 1) - (sizeof LIST_CLOSE - 1);
  memcpy(doc + at, LIST_OPEN, sizeof LIST_OPEN - 1);
  at += sizeof LIST_OPEN - 1;
  char entry[512];
  for (unsigned n = 0;; n++) {
    int k = snprintf(entry, sizeof entry,
                     "<interface><name>ge-%u/%u/%u</name><description>uplink %u to agg1, CKT-%06u</description><type xmlns:ianaift=\"urn:ietf:params:xml:ns:yang:iana-if-type\">"
                     "ianaift:ethernetCsmacd</type><enabled>true</enabled></interface>\n",
                     n / 4096, (n / 64) % 64, n % 64, n, n);
    if (at + (size_t)k > end) break;
    memcpy(doc + at, entry, (size_t)k);
    at += (size_t)k;
  }
  memset(doc + at, '\n', end - at); /* the last < 200 bytes: white space between elements */
  at = end;
  memcpy(doc + at, LIST_CLOSE, sizeof LIST_CLOSE - 1);
  at += sizeof LIST_CLOSE - 1;
  memcpy(doc + at, FTR, sizeof FTR - 1);
}

/* Size of the start-tag slot for a message-id of up to `idw` bytes. */
static size_t slot_len(size_t idw) { return sizeof HDR1 - 1 + idw + sizeof HDR2 - 1; }

/* The document for the current configuration, with a start-tag slot for ids of up to `idw`
 * bytes. The expensive part (~0.5 s for 100 MB): done before the hello, so never inside a
 * client's timing. */
static void build_doc(struct reply *r, size_t idw) {
  size_t slot = slot_len(idw);
  size_t minimum = slot + sizeof LIST_OPEN - 1 + sizeof LIST_CLOSE - 1 + sizeof FTR - 1;
  free(r->doc);
  r->len = cfg.reply_bytes > minimum ? cfg.reply_bytes : minimum;
  r->idw = idw;
  r->doc = xmalloc(r->len);
  memset(r->doc, ' ', slot);
  fill_payload(r->doc, slot, r->len);
}

/* Frame the document for the negotiated framing (cheap: headers and pointers only). */
static void frame_doc(struct reply *r) {
  free(r->iov);
  free(r->headers);
  if (!chunked) {
    r->headers = NULL;
    r->iov = xmalloc(2 * sizeof *r->iov);
    r->iov[0] = (struct iovec){r->doc, r->len};
    r->iov[1] = (struct iovec){(void *)EOM, EOM_LEN};
    r->iovcnt = 2;
    r->wire_len = r->len + EOM_LEN;
    return;
  }
  size_t c = cfg.chunk_bytes, nchunks = (r->len + c - 1) / c;
  /* The start tag must lie inside the first chunk, in one piece. */
  if (c < slot_len(r->idw)) die("chunk_bytes is smaller than the rpc-reply start tag");
  r->headers = xmalloc(nchunks * 14);
  r->iov = xmalloc((2 * nchunks + 1) * sizeof *r->iov);
  size_t h = 0, wire = 0;
  int k = 0;
  for (size_t off = 0; off < r->len; off += c) {
    size_t n = r->len - off < c ? r->len - off : c;
    int hl = sprintf(r->headers + h, "\n#%zu\n", n);
    r->iov[k++] = (struct iovec){r->headers + h, (size_t)hl};
    r->iov[k++] = (struct iovec){r->doc + off, n};
    h += (size_t)hl;
    wire += (size_t)hl + n;
  }
  r->iov[k++] = (struct iovec){(void *)END_OF_CHUNKS, 4};
  r->iovcnt = k;
  r->wire_len = wire + 4;
}

/* Answer one RPC with the prebuilt reply, its start tag rewritten for this message-id. */
static void send_data_reply(const char *id, size_t idlen) {
  struct reply *r = &reply, longer = {0};
  if (idlen > r->idw) { /* an unusually long id: a one-off reply with room for it */
    build_doc(&longer, idlen);
    frame_doc(&longer);
    r = &longer;
  }
  char *p = r->doc;
  memcpy(p, HDR1, sizeof HDR1 - 1);
  p += sizeof HDR1 - 1;
  memcpy(p, id, idlen);
  p += idlen;
  *p++ = '"'; /* close the attribute, then pad with spaces between attributes */
  memset(p, ' ', r->idw - idlen);
  p += r->idw - idlen;
  memcpy(p, HDR2 + 1, sizeof HDR2 - 2);
  if (r->wire_len <= BATCH_BYTES) {
    for (int i = 0; i < r->iovcnt; i++) emit(r->iov[i].iov_base, r->iov[i].iov_len);
  } else {
    flush_out();
    writev_all(r->iov, r->iovcnt);
  }
  free(longer.doc);
  free(longer.headers);
  free(longer.iov);
}

static void send_framed(const char *msg, size_t n) {
  char hdr[32];
  if (chunked) {
    int k = snprintf(hdr, sizeof hdr, "\n#%zu\n", n);
    emit(hdr, (size_t)k);
    emit(msg, n);
    emit("\n##\n", 4);
  } else {
    emit(msg, n);
    emit(EOM, EOM_LEN);
  }
}

/* ---- input -------------------------------------------------------------------------------- */

static char *in;
static size_t in_len, in_cap;
static char *msg;
static size_t msg_len, msg_cap;

static void msg_append(const char *p, size_t n) {
  if (msg_len + n > msg_cap) {
    msg_cap = (msg_len + n) * 2;
    msg = xrealloc(msg, msg_cap);
  }
  memcpy(msg + msg_len, p, n);
  msg_len += n;
}

/* Read more input; returns 0 at EOF. */
static int fill(void) {
  if (in_len == in_cap) {
    in_cap *= 2;
    in = xrealloc(in, in_cap);
  }
  for (;;) {
    ssize_t n = read(STDIN_FILENO, in + in_len, in_cap - in_len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    in_len += (size_t)n;
    return 1;
  }
}

/* Take the next whole message from `in` (starting at *pos) into msg. Returns 1 when one was
 * taken, 0 when more input is needed. Chunked-framing errors end the peer. */
static int next_message(size_t *pos, int use_chunks) {
  if (!use_chunks) {
    char *end = memmem(in + *pos, in_len - *pos, EOM, EOM_LEN);
    if (!end) return 0;
    msg_len = 0;
    msg_append(in + *pos, (size_t)(end - (in + *pos)));
    *pos = (size_t)(end - in) + EOM_LEN;
    return 1;
  }
  /* Chunked: parse chunk headers from p without consuming until the whole message is there. */
  size_t p = *pos;
  msg_len = 0;
  for (;;) {
    while (p < in_len && (in[p] == ' ' || in[p] == '\r' || in[p] == '\t' || (in[p] == '\n' && p + 1 < in_len && in[p + 1] == '\n'))) p++;
    if (in_len - p < 4) return 0;
    if (in[p] != '\n' || in[p + 1] != '#') die("malformed chunk header");
    if (in[p + 2] == '#') {
      if (in[p + 3] != '\n') die("malformed end-of-chunks");
      *pos = p + 4;
      return 1;
    }
    size_t q = p + 2, size = 0;
    while (q < in_len && in[q] >= '0' && in[q] <= '9') size = size * 10 + (size_t)(in[q++] - '0');
    if (q >= in_len) return 0;
    if (in[q] != '\n' || size == 0) die("malformed chunk size");
    q++;
    if (in_len - q < size) return 0;
    msg_append(in + q, size);
    p = q + size;
  }
}

/* The value of the first message-id attribute in msg (a plain scan; no XML parsing). */
static int find_message_id(const char **id, size_t *idlen) {
  const char *p = msg, *end = msg + msg_len;
  while ((p = memmem(p, (size_t)(end - p), "message-id", 10)) != NULL) {
    const char *q = p + 10;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
    if (q < end && *q == '=') {
      q++;
      while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
      if (q < end && (*q == '"' || *q == '\'')) {
        const char *v = q + 1, *close = memchr(v, *q, (size_t)(end - v));
        if (close) {
          *id = v;
          *idlen = (size_t)(close - v);
          return 1;
        }
      }
    }
    p += 10;
  }
  return 0;
}

static void handle_rpc(void) {
  const char *id = "";
  size_t idlen = 0;
  find_message_id(&id, &idlen);
  if (memmem(msg, msg_len, "close-session", 13)) {
    size_t cap = sizeof OK_REPLY_FMT + idlen;
    char *ok = xmalloc(cap);
    int k = snprintf(ok, cap, OK_REPLY_FMT, (int)idlen, id);
    send_framed(ok, (size_t)k);
    flush_out();
    exit(0);
  }
  if (config_changed()) {
    load_config();
    build_doc(&reply, ID_SLOT);
    frame_doc(&reply);
  }
  send_data_reply(id, idlen);
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  conf_path = argc > 1 ? argv[1] : "peer.conf";
  config_changed(); /* record the file's identity */
  load_config();
  in_cap = 1 << 20;
  in = xmalloc(in_cap);
  out = xmalloc(BATCH_BYTES);
  build_doc(&reply, ID_SLOT);

  /* Our hello, end-of-message framed. */
  char hello[1024];
  int k = snprintf(hello, sizeof hello,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?><hello xmlns=\"" NS_BASE "\"><capabilities>"
                   "<capability>urn:ietf:params:netconf:base:1.0</capability>%s"
                   "</capabilities><session-id>%ld</session-id></hello>" EOM,
                   cfg.eom_only ? "" : "<capability>urn:ietf:params:netconf:base:1.1</capability>", (long)getpid());
  write_all(hello, (size_t)k);

  /* The client's hello (always end-of-message framed) decides the framing. */
  size_t pos = 0;
  while (!next_message(&pos, 0)) {
    if (!fill()) return 0;
  }
  chunked = !cfg.eom_only && memmem(msg, msg_len, "urn:ietf:params:netconf:base:1.1", 32) != NULL;
  frame_doc(&reply);

  for (;;) {
    while (next_message(&pos, chunked)) handle_rpc();
    flush_out(); /* everything answered from this read goes out in one write */
    if (pos > 0) { /* keep only the unfinished message */
      memmove(in, in + pos, in_len - pos);
      in_len -= pos;
      pos = 0;
    }
    if (!fill()) return 0;
  }
}
