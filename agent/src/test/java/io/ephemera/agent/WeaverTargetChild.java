package io.ephemera.agent;

/** A subclass of {@link WeaverTarget}, for fields its superclass declares. */
public class WeaverTargetChild extends WeaverTarget {

    public WeaverTargetChild() {
        super("child");
    }

    public void grow() {
        total += 5;
    }
}
