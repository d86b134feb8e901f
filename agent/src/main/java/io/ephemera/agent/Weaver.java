package io.ephemera.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inlines each hook's calls into the methods it matches, with ASM's core classes only: at entry a
 * call to a static method of {@code io.ephemera.hook.Woven} (in the bootstrap loader) whose result is
 * kept in a new local; at every return, and where asked at every throw, a call with the values the
 * hook reads. Each call is wrapped in a catch-all that swallows what escapes it; a throw is rethrown
 * as it was after the exit call. The class format never changes (no member added), so classes
 * already loaded can be retransformed.
 *
 * <p>Frames: the class is read with expanded frames; the new locals go after the method's own
 * ({@code max_locals}), appended to every frame of the method; the blocks added get explicit frames
 * built from the method's declared parameters. Nothing needs the class hierarchy, so nothing is
 * looked up or loaded while a class is being defined.
 */
final class Weaver {

    static final String WOVEN = "io/ephemera/hook/Woven";
    /** For the calls' descriptors. */
    static final String O = "Ljava/lang/Object;";
    static final String T = "Ljava/lang/Throwable;";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final Type OBJECT_TYPE = Type.getType(Object.class);
    private static final Type THROWABLE_TYPE = Type.getObjectType(THROWABLE);
    private static final Type LOOKUP_TYPE = Type.getObjectType("java/lang/invoke/MethodHandles$Lookup");

    private Weaver() {
    }

    /**
     * Throws {@link NoClassDefFoundError} where the jar lacks the ASM the agent's jar carries (the
     * build's unshaded intermediate jar, a jar cut short): at start, so that the agent says so and
     * turns itself off, rather than each class failing alone.
     */
    static void requireAsm() {
        ClassReader.class.getName();
    }

    /** A value a woven call passes: the instrumented object, an argument, a field, the result... */
    static final class Value {
        static final int K_THIS = 0, K_ARG = 1, K_FIELD = 2, K_RETURN = 3, K_THROWN = 4, K_ENTER = 5, K_LOOKUP = 6;

        /** The instrumented object. */
        static final Value SELF = new Value(K_THIS, 0, null);
        /** The returned value; 0, false or null when the method threw. */
        static final Value RETURNED = new Value(K_RETURN, 0, null);
        /** What the method threw, null when it returned (always null for an exit on return only). */
        static final Value THROWN = new Value(K_THROWN, 0, null);
        /** What the entry call returned (false or null when it threw). */
        static final Value ENTERED = new Value(K_ENTER, 0, null);
        /** {@code MethodHandles.lookup()} of the instrumented class. */
        static final Value CALLER_LOOKUP = new Value(K_LOOKUP, 0, null);

        final int kind;
        final int index;
        final String field;

        private Value(int kind, int index, String field) {
            this.kind = kind;
            this.index = index;
            this.field = field;
        }

        /** Argument {@code n} (0 is the first declared parameter). */
        static Value arg(int n) {
            return new Value(K_ARG, n, null);
        }

        /** A field of the instrumented object, declared by its class or a superclass. */
        static Value field(String name) {
            return new Value(K_FIELD, 0, name);
        }
    }

    /** A call to a static method of {@code Woven}. */
    static final class Call {
        final String name;
        final String desc;
        final Value[] values;

        Call(String name, String desc, Value[] values) {
            this.name = name;
            this.desc = desc;
            this.values = values;
        }
    }

    /** What a hook inlines: an entry call, an exit call (on return only, or on return and throw), or both. */
    static final class Inline {
        final Call enter;
        final Call exit;
        final boolean onThrowable;

        private Inline(Call enter, Call exit, boolean onThrowable) {
            this.enter = enter;
            this.exit = exit;
            this.onThrowable = onThrowable;
        }

        static Inline enter(String name, String desc, Value... values) {
            return new Inline(new Call(name, desc, values), null, false);
        }

        /** An exit call when the method returns (a constructor's exit can be no other). */
        static Inline exit(String name, String desc, Value... values) {
            return new Inline(null, new Call(name, desc, values), false);
        }

        /** An exit call when the method returns or throws. */
        static Inline exitOrThrow(String name, String desc, Value... values) {
            return new Inline(null, new Call(name, desc, values), true);
        }

        Inline andExitOrThrow(String name, String desc, Value... values) {
            return new Inline(enter, new Call(name, desc, values), true);
        }

        /**
         * The method's work done on behalf of {@code key}'s call site: {@code Woven.onBehalfBegin(key)}
         * at entry, {@code onBehalfEnd} with its token at exit, on return or throw.
         */
        static Inline onBehalfOf(Value key) {
            return enter("onBehalfBegin", "(" + O + ")" + O, key).andExitOrThrow("onBehalfEnd", "(" + O + ")V", Value.ENTERED);
        }
    }

    /**
     * The class file with each hook's calls inlined into the methods it matches, or null when none
     * matched; {@code counts} receives how many methods each matched. Where a field read is declared
     * by a superclass, its descriptor comes from {@code redefined}, the class when it is loaded
     * already (retransformed), else from the class files {@code loader} serves (null: the bootstrap
     * loader).
     * Throws when a hook cannot be woven as asked (a field or argument that is not there or does not
     * fit): the class is then left as it was.
     */
    static byte[] weave(byte[] classfile, ClassLoader loader, Class<?> redefined, List<HookPoint> points,
                        int[] counts) {
        return weave(classfile, loader, redefined, points, counts, WOVEN);
    }

    /** As {@link #weave(byte[], ClassLoader, Class, List, int[])}, the calls going to {@code callee}'s static methods. */
    static byte[] weave(byte[] classfile, ClassLoader loader, Class<?> redefined, List<HookPoint> points, int[] counts,
                        String callee) {
        ClassReader reader = new ClassReader(classfile);
        Scan scan = new Scan(points, counts);
        reader.accept(scan, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (scan.targets.isEmpty()) {
            return null;
        }
        for (Target t : scan.targets.values()) {
            t.check(scan, loader, redefined);
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                Target t = scan.targets.get(name + desc);
                return t == null ? mv : new Weave(mv, t, scan.name, scan.frames, callee);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /** A method to weave, with what the first pass learnt of it and its class. */
    private static final class Target {
        final Inline inline;
        final String hook;
        final int access;
        final String name;
        final String desc;
        int maxLocals;
        /** Field name to the descriptor of the field read, resolved in {@link #check}. */
        final Map<String, String> fields = new HashMap<>();

        Target(Inline inline, String hook, int access, String name, String desc) {
            this.inline = inline;
            this.hook = hook;
            this.access = access;
            this.name = name;
            this.desc = desc;
        }

        boolean isStatic() {
            return (access & Opcodes.ACC_STATIC) != 0;
        }

        /** Resolves the fields read and checks every value fits its call; throws otherwise. */
        void check(Scan scan, ClassLoader loader, Class<?> redefined) {
            boolean ctor = name.equals("<init>");
            if (ctor && (inline.enter != null || inline.onThrowable)) {
                throw new IllegalStateException(hook + ": a constructor gets an exit call on return only");
            }
            check(inline.enter, scan, loader, redefined, false);
            check(inline.exit, scan, loader, redefined, true);
        }

        private void check(Call call, Scan scan, ClassLoader loader, Class<?> redefined, boolean exit) {
            if (call == null) {
                return;
            }
            Type[] params = Type.getArgumentTypes(call.desc);
            if (params.length != call.values.length) {
                throw new IllegalStateException(hook + ": " + call.name + call.desc + " takes " + params.length
                        + " values, not " + call.values.length);
            }
            for (int i = 0; i < params.length; i++) {
                Value v = call.values[i];
                if (v.kind == Value.K_FIELD && !fields.containsKey(v.field)) {
                    fields.put(v.field, scan.fieldDescriptor(v.field, loader, redefined, hook));
                }
                if (!exit && (v.kind == Value.K_RETURN || v.kind == Value.K_THROWN || v.kind == Value.K_ENTER)) {
                    throw new IllegalStateException(hook + ": an entry call cannot read what the method returns");
                }
                Type value = typeOf(v, scan.name);
                Type param = params[i];
                boolean reference = param.getSort() == Type.OBJECT || param.getSort() == Type.ARRAY;
                boolean fits = reference
                        ? (value.getSort() == Type.OBJECT || value.getSort() == Type.ARRAY)
                        && (param.equals(OBJECT_TYPE) || param.equals(value))
                        : param.equals(value);
                if (!fits) {
                    throw new IllegalStateException(hook + ": " + value.getClassName() + " does not fit parameter "
                            + i + " (" + param.getClassName() + ") of " + call.name);
                }
            }
        }

        /** The static type of a value in this method; throws where the method has no such value. */
        Type typeOf(Value v, String owner) {
            switch (v.kind) {
                case Value.K_THIS:
                case Value.K_FIELD:
                    if (isStatic()) {
                        throw new IllegalStateException(hook + ": a static method has no this");
                    }
                    return v.kind == Value.K_THIS ? Type.getObjectType(owner) : Type.getType(fields.get(v.field));
                case Value.K_ARG:
                    Type[] args = Type.getArgumentTypes(desc);
                    if (v.index >= args.length) {
                        throw new IllegalStateException(hook + ": no argument " + v.index);
                    }
                    return args[v.index];
                case Value.K_RETURN:
                    Type r = Type.getReturnType(desc);
                    if (r.getSort() == Type.VOID) {
                        throw new IllegalStateException(hook + ": the method returns nothing");
                    }
                    return r;
                case Value.K_THROWN:
                    return THROWABLE_TYPE;
                case Value.K_ENTER:
                    Type e = inline.enter == null ? Type.VOID_TYPE : Type.getReturnType(inline.enter.desc);
                    if (e.getSort() == Type.VOID) {
                        throw new IllegalStateException(hook + ": no entry value");
                    }
                    return e;
                default:
                    return LOOKUP_TYPE;
            }
        }
    }

    /** First pass: the class's name, version, superclass and fields; the methods each hook matches. */
    private static final class Scan extends ClassVisitor {
        private final List<HookPoint> points;
        private final int[] counts;
        final Map<String, Target> targets = new HashMap<>();
        final Map<String, String> ownFields = new HashMap<>();
        String name;
        String superName;
        boolean frames;

        Scan(List<HookPoint> points, int[] counts) {
            super(Opcodes.ASM9);
            this.points = points;
            this.counts = counts;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.name = name;
            this.superName = superName;
            this.frames = (version & 0xFFFF) >= Opcodes.V1_6;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String desc, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) == 0) {
                ownFields.put(name, desc);
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature,
                                         String[] exceptions) {
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                return null;
            }
            Target target = null;
            for (int i = 0; i < points.size(); i++) {
                HookPoint h = points.get(i);
                if (h.match.matches(name, desc)) {
                    counts[i]++;
                    if (target != null) {
                        throw new IllegalStateException("two hooks on " + name + desc + ": " + target.hook
                                + " and " + h.name());
                    }
                    target = new Target(h.inline, h.name(), access, name, desc);
                }
            }
            if (target == null) {
                return null;
            }
            Target t = target;
            targets.put(name + desc, t);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    t.maxLocals = maxLocals;
                }
            };
        }

        /**
         * The descriptor of a field an instance of this class has: its own, else the nearest
         * superclass's that this class can see, read from the class files {@code loader} serves.
         */
        String fieldDescriptor(String field, ClassLoader loader, Class<?> redefined, String hook) {
            String own = ownFields.get(field);
            if (own != null) {
                return own;
            }
            String pkg = packageOf(name);
            if (redefined != null) { // loaded, and so are its superclasses: no class file to read
                for (Class<?> c = redefined.getSuperclass(); c != null; c = c.getSuperclass()) {
                    String in = c.getName().replace('.', '/');
                    for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                        int access = f.getModifiers();
                        if (f.getName().equals(field) && visible(access, in, pkg)) {
                            return Type.getDescriptor(f.getType());
                        }
                    }
                }
                throw new IllegalStateException(hook + ": no field " + field + " in " + name.replace('/', '.'));
            }
            for (String type = superName; type != null; ) {
                byte[] bytes = classFile(loader, type);
                if (bytes == null) {
                    break;
                }
                String[] found = new String[2]; // descriptor, superclass
                String in = type;
                new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public void visit(int version, int access, String name, String signature, String superName,
                                      String[] interfaces) {
                        found[1] = superName;
                    }

                    @Override
                    public FieldVisitor visitField(int access, String name, String desc, String signature,
                                                   Object value) {
                        if (name.equals(field) && found[0] == null && visible(access, in, pkg)) {
                            found[0] = desc;
                        }
                        return null;
                    }
                }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
                if (found[0] != null) {
                    return found[0];
                }
                type = found[1];
            }
            throw new IllegalStateException(hook + ": no field " + field + " in " + name.replace('/', '.'));
        }

        /** An instance field of {@code owner} that a class of package {@code pkg} can read. */
        private static boolean visible(int access, String owner, String pkg) {
            return (access & Opcodes.ACC_STATIC) == 0 && (access & Opcodes.ACC_PRIVATE) == 0
                    && ((access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0 || packageOf(owner).equals(pkg));
        }

        private static String packageOf(String internalName) {
            int slash = internalName.lastIndexOf('/');
            return slash < 0 ? "" : internalName.substring(0, slash);
        }

        private static byte[] classFile(ClassLoader loader, String internalName) {
            String resource = internalName + ".class";
            try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                    : loader.getResourceAsStream(resource)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                return null;
            }
        }
    }

    /**
     * Second pass over one matched method, read with expanded frames. Layout of the locals it adds,
     * after the method's own {@code max_locals}: the entry value (if the entry call returns one),
     * then one slot for the return value or the throwable, in the exit blocks only.
     */
    private static final class Weave extends MethodVisitor {
        private final Target t;
        private final String owner;
        private final boolean frames;
        private final String callee;
        private final Type[] args;
        private final Type returns;
        private final Type enterType;
        private final int enterSlot;
        private final int extraSlot;
        private final Label bodyStart = new Label();
        private final Label bodyEnd = new Label();
        private final Label exitBlock = new Label();
        private final Label thrownBlock = new Label();
        private boolean begun;

        Weave(MethodVisitor mv, Target t, String owner, boolean frames, String callee) {
            super(Opcodes.ASM9, mv);
            this.callee = callee;
            this.t = t;
            this.owner = owner;
            this.frames = frames;
            this.args = Type.getArgumentTypes(t.desc);
            this.returns = Type.getReturnType(t.desc);
            this.enterType = t.inline.enter == null ? Type.VOID_TYPE : Type.getReturnType(t.inline.enter.desc);
            this.enterSlot = t.maxLocals;
            this.extraSlot = t.maxLocals + enterType.getSize();
        }

        /** Before the method's first instruction, after its own exception table (which keeps precedence). */
        private void begin() {
            if (begun) {
                return;
            }
            begun = true;
            Label enterStart = new Label();
            Label enterEnd = new Label();
            Label enterHandler = new Label();
            if (t.inline.enter != null) {
                super.visitTryCatchBlock(enterStart, enterEnd, enterHandler, THROWABLE);
            }
            if (t.inline.exit != null && t.inline.onThrowable) {
                super.visitTryCatchBlock(bodyStart, bodyEnd, thrownBlock, THROWABLE);
            }
            if (t.inline.enter != null) {
                Label afterEnter = new Label();
                super.visitLabel(enterStart);
                call(t.inline.enter, false);
                if (enterType.getSort() != Type.VOID) {
                    super.visitVarInsn(enterType.getOpcode(Opcodes.ISTORE), enterSlot);
                }
                super.visitLabel(enterEnd);
                super.visitJumpInsn(Opcodes.GOTO, afterEnter);
                super.visitLabel(enterHandler);
                frame(locals(false, false), THROWABLE);
                super.visitInsn(Opcodes.POP);
                if (enterType.getSort() != Type.VOID) {
                    pushDefault(enterType);
                    super.visitVarInsn(enterType.getOpcode(Opcodes.ISTORE), enterSlot);
                }
                super.visitLabel(afterEnter);
                frame(locals(false, true));
                super.visitInsn(Opcodes.NOP); // the method's own frame at its first instruction comes after
            }
            super.visitLabel(bodyStart);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            begin();
            if (enterType.getSort() == Type.VOID || type != Opcodes.F_NEW) {
                super.visitFrame(type, numLocal, local, numStack, stack);
                return;
            }
            List<Object> locals = new ArrayList<>(numLocal + 4);
            int slots = 0;
            for (int i = 0; i < numLocal; i++) {
                locals.add(local[i]);
                slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
            }
            for (; slots < t.maxLocals; slots++) {
                locals.add(Opcodes.TOP);
            }
            locals.add(frameType(enterType));
            super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), numStack, stack);
        }

        @Override
        public void visitInsn(int opcode) {
            begin();
            if (t.inline.exit != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                if (returns.getSort() != Type.VOID) {
                    super.visitVarInsn(returns.getOpcode(Opcodes.ISTORE), extraSlot);
                }
                super.visitJumpInsn(Opcodes.GOTO, exitBlock);
                return;
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            begin();
            super.visitLabel(bodyEnd);
            if (t.inline.exit != null) {
                // returned: the exit call, then the value returned as it was
                List<Object> returned = locals(true, true);
                if (returns.getSort() != Type.VOID) {
                    returned.add(frameType(returns));
                }
                Label ret = new Label();
                super.visitLabel(exitBlock);
                frame(returned);
                guarded(t.inline.exit, true, returned, ret);
                super.visitLabel(ret);
                frame(returned);
                if (returns.getSort() != Type.VOID) {
                    super.visitVarInsn(returns.getOpcode(Opcodes.ILOAD), extraSlot);
                }
                super.visitInsn(returns.getOpcode(Opcodes.IRETURN));
                if (t.inline.onThrowable) {
                    // threw: the exit call, then the same throwable rethrown
                    List<Object> body = locals(true, true);
                    super.visitLabel(thrownBlock);
                    frame(body, THROWABLE);
                    super.visitVarInsn(Opcodes.ASTORE, extraSlot);
                    List<Object> thrown = new ArrayList<>(body);
                    thrown.add(THROWABLE);
                    Label rethrow = new Label();
                    guarded(t.inline.exit, false, thrown, rethrow);
                    super.visitLabel(rethrow);
                    frame(thrown);
                    super.visitVarInsn(Opcodes.ALOAD, extraSlot);
                    super.visitInsn(Opcodes.ATHROW);
                }
            }
            super.visitMaxs(maxStack, maxLocals);
        }

        /** The call in a catch-all that swallows what it throws; both ways continue at {@code after}. */
        private void guarded(Call call, boolean returned, List<Object> locals, Label after) {
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            super.visitTryCatchBlock(start, end, handler, THROWABLE);
            super.visitLabel(start);
            call(call, returned);
            super.visitLabel(end);
            super.visitJumpInsn(Opcodes.GOTO, after);
            super.visitLabel(handler);
            frame(locals, THROWABLE);
            super.visitInsn(Opcodes.POP);
        }

        /** Pushes the values and calls; {@code returned}: at the exit on return (else on throw). */
        private void call(Call call, boolean returned) {
            for (Value v : call.values) {
                switch (v.kind) {
                    case Value.K_THIS:
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        break;
                    case Value.K_ARG:
                        super.visitVarInsn(args[v.index].getOpcode(Opcodes.ILOAD), slotOf(v.index));
                        break;
                    case Value.K_FIELD:
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitFieldInsn(Opcodes.GETFIELD, owner, v.field, t.fields.get(v.field));
                        break;
                    case Value.K_RETURN:
                        if (returned) {
                            super.visitVarInsn(returns.getOpcode(Opcodes.ILOAD), extraSlot);
                        } else {
                            pushDefault(returns);
                        }
                        break;
                    case Value.K_THROWN:
                        if (returned) {
                            super.visitInsn(Opcodes.ACONST_NULL);
                        } else {
                            super.visitVarInsn(Opcodes.ALOAD, extraSlot);
                        }
                        break;
                    case Value.K_ENTER:
                        super.visitVarInsn(enterType.getOpcode(Opcodes.ILOAD), enterSlot);
                        break;
                    default:
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
                }
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, callee, call.name, call.desc, false);
        }

        private int slotOf(int arg) {
            int slot = t.isStatic() ? 0 : 1;
            for (int i = 0; i < arg; i++) {
                slot += args[i].getSize();
            }
            return slot;
        }

        private void pushDefault(Type type) {
            switch (type.getSort()) {
                case Type.LONG:
                    super.visitInsn(Opcodes.LCONST_0);
                    break;
                case Type.FLOAT:
                    super.visitInsn(Opcodes.FCONST_0);
                    break;
                case Type.DOUBLE:
                    super.visitInsn(Opcodes.DCONST_0);
                    break;
                case Type.OBJECT:
                case Type.ARRAY:
                    super.visitInsn(Opcodes.ACONST_NULL);
                    break;
                default:
                    super.visitInsn(Opcodes.ICONST_0);
            }
        }

        /**
         * The locals of an added block: the declared {@code this} and parameters ({@code exitOnly}:
         * only those the exit call reads, TOP for the others, which the method may have reused),
         * and with {@code added}, TOP up to {@code max_locals} and the entry value.
         */
        private List<Object> locals(boolean exitOnly, boolean added) {
            boolean readsThis = !exitOnly;
            boolean[] readsArg = new boolean[args.length];
            if (exitOnly) {
                for (Value v : t.inline.exit.values) {
                    if (v.kind == Value.K_THIS || v.kind == Value.K_FIELD) {
                        readsThis = true;
                    } else if (v.kind == Value.K_ARG) {
                        readsArg[v.index] = true;
                    }
                }
            } else {
                java.util.Arrays.fill(readsArg, true);
            }
            List<Object> out = new ArrayList<>();
            int slot = 0;
            if (!t.isStatic()) {
                out.add(readsThis ? owner : Opcodes.TOP); // initialized: no entry call in a constructor
                slot++;
            }
            for (int i = 0; i < args.length; i++) {
                if (readsArg[i]) {
                    out.add(frameType(args[i]));
                } else {
                    for (int s = 0; s < args[i].getSize(); s++) {
                        out.add(Opcodes.TOP);
                    }
                }
                slot += args[i].getSize();
            }
            if (added) {
                for (; slot < t.maxLocals; slot++) {
                    out.add(Opcodes.TOP);
                }
                if (enterType.getSort() != Type.VOID) {
                    out.add(frameType(enterType));
                }
            }
            return out;
        }

        private void frame(List<Object> locals, Object... stack) {
            if (frames) {
                super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack);
            }
        }

        private static Object frameType(Type type) {
            switch (type.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    return Opcodes.INTEGER;
                case Type.FLOAT:
                    return Opcodes.FLOAT;
                case Type.LONG:
                    return Opcodes.LONG;
                case Type.DOUBLE:
                    return Opcodes.DOUBLE;
                case Type.ARRAY:
                    return type.getDescriptor();
                default:
                    return type.getInternalName();
            }
        }

        // every other event: the entry code goes before the first of them

        @Override
        public void visitLabel(Label label) {
            begin();
            super.visitLabel(label);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            begin();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            begin();
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            begin();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            begin();
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            begin();
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            begin();
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            begin();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            begin();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            begin();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            begin();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            begin();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            begin();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            begin();
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end,
                                       int index) {
            begin();
            super.visitLocalVariable(name, descriptor, signature, start, end, index);
        }
    }
}
