package dev.avps.vhostuser;

import dev.avps.runtime.Virtqueues;

/** What the front end told us about one virtqueue, until it is started. */
final class Vring {

    int num;
    long descUser;
    long availUser;
    long usedUser;
    boolean addressed;
    /** Where the ring resumes: set by SET_VRING_BASE or recorded when it stops; else a fresh ring. */
    int base;
    boolean baseSet;
    boolean enabled;
    EventFd kick;
    EventFd call;
    EventFd err;
    QueueWorker worker;

    /** The position the ring starts or reports at: its recorded base, or a fresh ring's. */
    int position(long features) {
        return baseSet ? base : Virtqueues.freshPosition(features);
    }

    boolean running() {
        return worker != null;
    }

    void closeFds() {
        for (EventFd fd : new EventFd[] {kick, call, err}) {
            if (fd != null) {
                fd.close();
            }
        }
        kick = null;
        call = null;
        err = null;
    }
}
