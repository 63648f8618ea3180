"""cffi (API mode) build of a test-only binding to libotr 4.1 (Debian ``libotr5-dev``).

The binding is an oracle for the OTR tests ("Off-the-Record Messaging Protocol version 3"),
never part of the library. It is compiled against the installed headers into a build
directory that is not committed (``build/libotr-binding/<hash>/`` under the repository),
once per content of this file: the directory name is the hash of the declarations below.

Only what the tests use is declared. Structures are declared partially (``...;``) so the C
compiler, not this file, decides their layout. The message callbacks of
``OtrlMessageAppOps`` are ``extern "Python"`` functions implemented in ``libotr.py``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import cffi

MODULE = "_nqsb_libotr"

CDEF = r"""
typedef int... gcry_error_t;
typedef unsigned int OtrlPolicy;
typedef unsigned int otrl_instag_t;

#define OTRL_POLICY_ALLOW_V1 ...
#define OTRL_POLICY_ALLOW_V2 ...
#define OTRL_POLICY_ALLOW_V3 ...
#define OTRL_POLICY_REQUIRE_ENCRYPTION ...
#define OTRL_POLICY_SEND_WHITESPACE_TAG ...
#define OTRL_POLICY_WHITESPACE_START_AKE ...
#define OTRL_POLICY_ERROR_START_AKE ...
#define OTRL_INSTAG_MASTER ...
#define OTRL_INSTAG_BEST ...
#define OTRL_INSTAG_RECENT ...
#define OTRL_MIN_VALID_INSTAG ...
#define OTRL_PRIVKEY_FPRINT_HUMAN_LEN ...
#define OTRL_VERSION_MAJOR ...
#define OTRL_VERSION_MINOR ...
#define OTRL_VERSION_SUB ...

typedef enum {
    OTRL_FRAGMENT_SEND_SKIP,
    OTRL_FRAGMENT_SEND_ALL,
    OTRL_FRAGMENT_SEND_ALL_BUT_FIRST,
    OTRL_FRAGMENT_SEND_ALL_BUT_LAST
} OtrlFragmentPolicy;

typedef enum {
    OTRL_MSGSTATE_PLAINTEXT,
    OTRL_MSGSTATE_ENCRYPTED,
    OTRL_MSGSTATE_FINISHED
} OtrlMessageState;

typedef enum {
    OTRL_SMPEVENT_NONE,
    OTRL_SMPEVENT_ERROR,
    OTRL_SMPEVENT_ABORT,
    OTRL_SMPEVENT_CHEATED,
    OTRL_SMPEVENT_ASK_FOR_ANSWER,
    OTRL_SMPEVENT_ASK_FOR_SECRET,
    OTRL_SMPEVENT_IN_PROGRESS,
    OTRL_SMPEVENT_SUCCESS,
    OTRL_SMPEVENT_FAILURE
} OtrlSMPEvent;

typedef enum {
    OTRL_MSGEVENT_NONE,
    OTRL_MSGEVENT_ENCRYPTION_REQUIRED,
    OTRL_MSGEVENT_ENCRYPTION_ERROR,
    OTRL_MSGEVENT_CONNECTION_ENDED,
    OTRL_MSGEVENT_SETUP_ERROR,
    OTRL_MSGEVENT_MSG_REFLECTED,
    OTRL_MSGEVENT_MSG_RESENT,
    OTRL_MSGEVENT_RCVDMSG_NOT_IN_PRIVATE,
    OTRL_MSGEVENT_RCVDMSG_UNREADABLE,
    OTRL_MSGEVENT_RCVDMSG_MALFORMED,
    OTRL_MSGEVENT_LOG_HEARTBEAT_RCVD,
    OTRL_MSGEVENT_LOG_HEARTBEAT_SENT,
    OTRL_MSGEVENT_RCVDMSG_GENERAL_ERR,
    OTRL_MSGEVENT_RCVDMSG_UNENCRYPTED,
    OTRL_MSGEVENT_RCVDMSG_UNRECOGNIZED,
    OTRL_MSGEVENT_RCVDMSG_FOR_OTHER_INSTANCE
} OtrlMessageEvent;

typedef enum {
    OTRL_ERRCODE_NONE,
    OTRL_ERRCODE_ENCRYPTION_ERROR,
    OTRL_ERRCODE_MSG_NOT_IN_PRIVATE,
    OTRL_ERRCODE_MSG_UNREADABLE,
    OTRL_ERRCODE_MSG_MALFORMED
} OtrlErrorCode;

typedef enum { OTRL_CONVERT_SENDING, OTRL_CONVERT_RECEIVING } OtrlConvertType;

typedef enum {
    OTRL_SMP_PROG_OK = 0,
    OTRL_SMP_PROG_CHEATED = -2,
    OTRL_SMP_PROG_FAILED = -1,
    OTRL_SMP_PROG_SUCCEEDED = 1
} OtrlSMProgState;

typedef struct {
    int received_question;
    OtrlSMProgState sm_prog_state;
    ...;
} OtrlSMState;

typedef struct s_OtrlTLV {
    unsigned short type;
    unsigned short len;
    unsigned char *data;
    struct s_OtrlTLV *next;
} OtrlTLV;

typedef struct s_fingerprint {
    struct s_fingerprint *next;
    unsigned char *fingerprint;
    ...;
} Fingerprint;

typedef struct context ConnContext;
struct context {
    struct context *next;
    char *username;
    char *accountname;
    char *protocol;
    struct context *m_context;
    otrl_instag_t our_instance;
    otrl_instag_t their_instance;
    OtrlMessageState msgstate;
    Fingerprint *active_fingerprint;
    unsigned char sessionid[20];
    size_t sessionid_len;
    unsigned int protocol_version;
    OtrlSMState *smstate;
    ...;
};

typedef struct s_OtrlUserState *OtrlUserState;
struct s_OtrlUserState { ConnContext *context_root; ...; };

typedef struct s_OtrlMessageAppOps {
    OtrlPolicy (*policy)(void *opdata, ConnContext *context);
    void (*create_privkey)(void *opdata, const char *accountname, const char *protocol);
    int (*is_logged_in)(void *opdata, const char *accountname, const char *protocol,
                        const char *recipient);
    void (*inject_message)(void *opdata, const char *accountname, const char *protocol,
                           const char *recipient, const char *message);
    void (*update_context_list)(void *opdata);
    void (*new_fingerprint)(void *opdata, OtrlUserState us, const char *accountname,
                            const char *protocol, const char *username,
                            unsigned char fingerprint[20]);
    void (*write_fingerprints)(void *opdata);
    void (*gone_secure)(void *opdata, ConnContext *context);
    void (*gone_insecure)(void *opdata, ConnContext *context);
    void (*still_secure)(void *opdata, ConnContext *context, int is_reply);
    int (*max_message_size)(void *opdata, ConnContext *context);
    const char *(*account_name)(void *opdata, const char *account, const char *protocol);
    void (*account_name_free)(void *opdata, const char *account_name);
    void (*received_symkey)(void *opdata, ConnContext *context, unsigned int use,
                            const unsigned char *usedata, size_t usedatalen,
                            const unsigned char *symkey);
    const char *(*otr_error_message)(void *opdata, ConnContext *context,
                                     OtrlErrorCode err_code);
    void (*otr_error_message_free)(void *opdata, const char *err_msg);
    const char *(*resent_msg_prefix)(void *opdata, ConnContext *context);
    void (*resent_msg_prefix_free)(void *opdata, const char *prefix);
    void (*handle_smp_event)(void *opdata, OtrlSMPEvent smp_event, ConnContext *context,
                             unsigned short progress_percent, char *question);
    void (*handle_msg_event)(void *opdata, OtrlMessageEvent msg_event, ConnContext *context,
                             const char *message, gcry_error_t err);
    void (*create_instag)(void *opdata, const char *accountname, const char *protocol);
    void (*convert_msg)(void *opdata, ConnContext *context, OtrlConvertType convert_type,
                        char **dest, const char *src);
    void (*convert_free)(void *opdata, ConnContext *context, char *dest);
    void (*timer_control)(void *opdata, unsigned int interval);
} OtrlMessageAppOps;

gcry_error_t otrl_init(unsigned int ver_major, unsigned int ver_minor, unsigned int ver_sub);

OtrlUserState otrl_userstate_create(void);
void otrl_userstate_free(OtrlUserState us);

gcry_error_t otrl_privkey_read(OtrlUserState us, const char *filename);
gcry_error_t otrl_privkey_generate(OtrlUserState us, const char *filename,
                                   const char *accountname, const char *protocol);
unsigned char *otrl_privkey_fingerprint_raw(OtrlUserState us, unsigned char hash[20],
                                            const char *accountname, const char *protocol);
char *otrl_privkey_fingerprint(OtrlUserState us, char fingerprint[45],
                               const char *accountname, const char *protocol);
void otrl_privkey_hash_to_human(char human[45], const unsigned char hash[20]);

gcry_error_t otrl_instag_generate(OtrlUserState us, const char *filename,
                                  const char *accountname, const char *protocol);
gcry_error_t otrl_instag_read(OtrlUserState us, const char *filename);

ConnContext *otrl_context_find(OtrlUserState us, const char *user, const char *accountname,
                               const char *protocol, otrl_instag_t their_instance,
                               int add_if_missing, int *addedp,
                               void (*add_app_data)(void *data, ConnContext *context),
                               void *data);

void otrl_message_free(char *message);
gcry_error_t otrl_message_sending(OtrlUserState us, const OtrlMessageAppOps *ops,
        void *opdata, const char *accountname, const char *protocol, const char *recipient,
        otrl_instag_t instag, const char *original_msg, OtrlTLV *tlvs, char **messagep,
        OtrlFragmentPolicy fragPolicy, ConnContext **contextp,
        void (*add_appdata)(void *data, ConnContext *context), void *data);
int otrl_message_receiving(OtrlUserState us, const OtrlMessageAppOps *ops, void *opdata,
        const char *accountname, const char *protocol, const char *sender,
        const char *message, char **newmessagep, OtrlTLV **tlvsp, ConnContext **contextp,
        void (*add_appdata)(void *data, ConnContext *context), void *data);
void otrl_message_disconnect(OtrlUserState us, const OtrlMessageAppOps *ops, void *opdata,
        const char *accountname, const char *protocol, const char *username,
        otrl_instag_t instance);
void otrl_message_initiate_smp(OtrlUserState us, const OtrlMessageAppOps *ops, void *opdata,
        ConnContext *context, const unsigned char *secret, size_t secretlen);
void otrl_message_initiate_smp_q(OtrlUserState us, const OtrlMessageAppOps *ops,
        void *opdata, ConnContext *context, const char *question,
        const unsigned char *secret, size_t secretlen);
void otrl_message_respond_smp(OtrlUserState us, const OtrlMessageAppOps *ops, void *opdata,
        ConnContext *context, const unsigned char *secret, size_t secretlen);
void otrl_message_abort_smp(OtrlUserState us, const OtrlMessageAppOps *ops, void *opdata,
        ConnContext *context);
void otrl_tlv_free(OtrlTLV *tlv);
char *otrl_proto_default_query_msg(const char *ourname, OtrlPolicy policy);
void free(void *ptr);

extern "Python" {
    OtrlPolicy nqsb_policy(void *opdata, ConnContext *context);
    void nqsb_create_privkey(void *opdata, const char *accountname, const char *protocol);
    int nqsb_is_logged_in(void *opdata, const char *accountname, const char *protocol,
                          const char *recipient);
    void nqsb_inject_message(void *opdata, const char *accountname, const char *protocol,
                             const char *recipient, const char *message);
    void nqsb_update_context_list(void *opdata);
    void nqsb_new_fingerprint(void *opdata, OtrlUserState us, const char *accountname,
                              const char *protocol, const char *username,
                              unsigned char fingerprint[20]);
    void nqsb_write_fingerprints(void *opdata);
    void nqsb_gone_secure(void *opdata, ConnContext *context);
    void nqsb_gone_insecure(void *opdata, ConnContext *context);
    void nqsb_still_secure(void *opdata, ConnContext *context, int is_reply);
    int nqsb_max_message_size(void *opdata, ConnContext *context);
    void nqsb_handle_smp_event(void *opdata, OtrlSMPEvent smp_event, ConnContext *context,
                               unsigned short progress_percent, char *question);
    void nqsb_handle_msg_event(void *opdata, OtrlMessageEvent msg_event,
                               ConnContext *context, const char *message, gcry_error_t err);
    void nqsb_create_instag(void *opdata, const char *accountname, const char *protocol);
}
"""

SOURCE = r"""
#include <libotr/proto.h>
#include <libotr/userstate.h>
#include <libotr/context.h>
#include <libotr/message.h>
#include <libotr/privkey.h>
#include <libotr/instag.h>
#include <libotr/tlv.h>
#include <stdlib.h>
"""


def digest() -> str:
    """Hash of everything that decides the compiled module (declarations, source, Python)."""
    h = hashlib.sha256()
    for part in (CDEF, SOURCE, sys.implementation.cache_tag or "", cffi.__version__):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def ffibuilder() -> cffi.FFI:
    """The cffi builder of the binding (link with ``-lotr``)."""
    builder = cffi.FFI()
    builder.cdef(CDEF)
    builder.set_source(MODULE, SOURCE, libraries=["otr"])
    return builder


def build(directory: Path) -> Path:
    """Compile the binding into ``directory/<hash>/`` unless it is there; return that folder.

    The extension is compiled in a scratch folder and moved into place with an atomic
    rename, so concurrent test processes never import a half-written module.
    """
    target = directory / digest()
    if any(target.glob(f"{MODULE}*.so")):
        return target
    directory.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="tmp-", dir=directory))
    try:
        library = Path(ffibuilder().compile(tmpdir=str(scratch), verbose=False))
        target.mkdir(exist_ok=True)
        os.replace(library, target / library.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


if __name__ == "__main__":
    print(build(Path(__file__).resolve().parents[2] / "build" / "libotr-binding"))
