package dev.avps.vhostuser;

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
