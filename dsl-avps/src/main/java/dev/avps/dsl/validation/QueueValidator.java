package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.QUEUE_ENTRY__COUNT;
import static dev.avps.dsl.avps.AvpsPackage.Literals.QUEUE__INDEX;

import dev.avps.dsl.avps.Expression;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.QueueEntry;
import dev.avps.dsl.avps.QueueGroup;
import dev.avps.dsl.avps.Queues;
import dev.avps.dsl.layout.ConstantFold;
import java.math.BigInteger;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.validation.Check;

/**
 * Queue counts and indexes: every queue a device can have must get an index in 0..65535
 * (queue_select and notifications carry 16 bits), counts are at least one, and the arithmetic
 * in them is exact (no division by zero, nothing wrapped through 64 bits).
 */
public class QueueValidator extends ConcernValidator {

    /**
     * Queue entries in one block. Each entry after one with a run-time count adds a term to the
     * index expression of every later queue; VIRTIO 1.4's devices declare fewer than ten.
     */
    static final int MAX_ENTRIES = 256;

    private static final BigInteger LIMIT = BigInteger.valueOf(Limits.MAX_QUEUE_INDEX);

    @Check
    public void checkQueues(Queues qs) {
        if (qs.getEntries().size() > MAX_ENTRIES) {
            error("a queue block may declare at most " + MAX_ENTRIES + " queues or groups, this one declares "
                    + qs.getEntries().size(), qs, null, IssueCodes.QUEUE_RANGE);
            return;
        }
        // The highest index reached so far when every count is known and every queue present, or null.
        BigInteger next = BigInteger.ZERO;
        for (QueueEntry entry : qs.getEntries()) {
            if (entry instanceof Queue q) {
                BigInteger count = count(q.getCount(), q, QUEUE_ENTRY__COUNT);
                BigInteger index = q.getIndex() == null ? null : index(q.getIndex(), q);
                BigInteger first = q.getIndex() == null ? next : index;
                next = reach(first, count, 1, q, q.getIndex() != null ? QUEUE__INDEX : QUEUE_ENTRY__COUNT, q.getName());
            } else if (entry instanceof QueueGroup g) {
                BigInteger count = count(g.getCount(), g, QUEUE_ENTRY__COUNT);
                next = reach(next, count, Math.max(1, g.getQueues().size()), g, QUEUE_ENTRY__COUNT, g.getName());
            }
        }
    }

    /** A count that is known must be 1..65536; null when it is known only at run time (or broken). */
    private BigInteger count(Expression e, EObject owner, EStructuralFeature feature) {
        if (e == null) {
            return BigInteger.ONE;
        }
        ConstantFold.Result r = ConstantFold.fold(e);
        if (r.broken()) {
            error("queue count: " + r.problem(), owner, feature, IssueCodes.QUEUE_RANGE);
            return null;
        }
        if (r.known() && (r.value().signum() <= 0 || r.value().compareTo(LIMIT.add(BigInteger.ONE)) > 0)) {
            error("queue count " + r.value() + " is outside 1.." + (Limits.MAX_QUEUE_INDEX + 1), owner, feature,
                    IssueCodes.QUEUE_RANGE);
            return null;
        }
        return r.value();
    }

    private BigInteger index(Expression e, Queue q) {
        ConstantFold.Result r = ConstantFold.fold(e);
        if (r.broken()) {
            error("queue index: " + r.problem(), q, QUEUE__INDEX, IssueCodes.QUEUE_RANGE);
            return null;
        }
        if (r.known() && (r.value().signum() < 0 || r.value().compareTo(LIMIT) > 0)) {
            error("queue index " + r.value() + " is outside 0.." + Limits.MAX_QUEUE_INDEX, q, QUEUE__INDEX,
                    IssueCodes.QUEUE_RANGE);
            return null;
        }
        return r.value();
    }

    /** The index after an entry of count x stride queues starting at first; reports one past 65535. */
    private BigInteger reach(BigInteger first, BigInteger count, int stride, EObject owner,
            EStructuralFeature feature, String name) {
        if (first == null || count == null) {
            return null;
        }
        BigInteger end = first.add(count.multiply(BigInteger.valueOf(stride)));
        if (end.subtract(BigInteger.ONE).compareTo(LIMIT) > 0) {
            error("'" + name + "' would reach queue index " + end.subtract(BigInteger.ONE) + ", beyond "
                    + Limits.MAX_QUEUE_INDEX, owner, feature, IssueCodes.QUEUE_RANGE);
            return null;
        }
        return end;
    }
}
