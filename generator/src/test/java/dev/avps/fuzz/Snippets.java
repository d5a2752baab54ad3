package dev.avps.fuzz;

import java.util.List;

/**
 * Small valid specs that between them use every construct of the language; the campaign mutates
 * these rather than whole catalog files, because a 300-byte input checks in well under a
 * millisecond and a 20 KB one does not.
 */
final class Snippets {

    private Snippets() {
    }

    static final List<String> ALL = List.of("""
            package f.a;
            /** D. */
            device d {
                id 300;
                spec "1.4";
                c-name "virtio_d";
                features {
                    /** A. */ bit 0 A;
                    /** B. */ bit 1 B requires A && !VERSION_1 alias BB;
                    /** C. */ legacy bit 41 C c-name "VIRTIO_D_F_C";
                }
                /** Config. */
                config d_config size 8 {
                    le32 n;
                    le16 m when A || (B && !A);
                    reserved u8 pad[2];
                }
                /** Q. */
                queues {
                    /** q. */ queue rq driver-to-device count n if A else 1;
                    /** g. */ group pairs count 2 { /** r. */ queue rx device-to-driver; /** t. */ queue tx driver-to-device; }
                }
            }
            """, """
            package f.b;
            /** E. */
            enum kind : le32 { K_IN = 0; K_OUT = 1; K_FLUSH = 4; }
            /** N. */
            const N : le16 = 16;
            /** D. */
            device e {
                id 301;
                spec "1.4";
                /** Q. */
                queues { /** q. */ queue q driver-to-device; }
                /** H. */
                struct hdr { kind type; le32 len; u8 tag[N * 2 - 4]; }
                /** In. */
                request rin on q where h.type == K_IN { readable hdr h; writable u8 data[h.len]; writable u8 status; }
                /** Out. */
                request rout on q where h.type in (K_OUT, K_FLUSH) { readable hdr h; readable u8 data[]; writable u8 status; }
            }
            """, """
            package f.c;
            /** S. */
            struct flags size 8 {
                le64 word { bit 0 ready; bits 1..3 mode; bit 63 last; }
            }
            /** D. */
            device u {
                id 302;
                spec "1.4";
                status draft;
                /** Q. */
                queues { /** c. */ queue ctl driver-to-device index 3; }
                /** U. */
                struct msg {
                    le32 type;
                    union body select type size 16 {
                        case 1: le64 a; le64 b;
                        case 2, 3: u8 raw[16];
                    }
                }
                /** R. */
                request op on ctl where m.type & 0x1 == 1 { readable msg m; writable le32 result; }
                requirement r_ok device MUST on u "The device answers every request.";
            }
            """, """
            package f.d;
            import f.a.*;
            import virtio.transport.*;
            /** D. */
            device v {
                id 303;
                spec "1.4";
                features { /** X. */ bit 2 X requires VERSION_1; }
                /** Q. */
                queues { /** a. */ queue a device-to-driver when X; /** b. */ queue b driver-to-device count 4; }
            }
            """);
}
