package dev.kinema.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * libtorch's process-wide switch for its oneDNN (MKLDNN) kernels, {@code at::globalContext()
 * .setUserEnabledMkldnn(bool)}, which DJL does not expose; reached through JNA, which DJL already
 * brings. With the switch off, libtorch dispatches convolutions (forward, input gradient, weight
 * gradient), pooling and the other oneDNN-backed operators to its own CPU kernels: slower, but they
 * compute the same values on every x86-64 processor. The switch is read at each dispatch, so it
 * takes effect for every later call, the backward pass included.
 */
final class LibTorchContext {
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_MKLDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String GET_MKLDNN = "_ZNK2at7Context17userEnabledMkldnnEv";

    private LibTorchContext() {}

    static void setMkldnnEnabled(boolean enabled) {
        function(SET_MKLDNN).invokeVoid(new Object[] {context(), enabled});
    }

    static boolean mkldnnEnabled() {
        return function(GET_MKLDNN).invokeInt(new Object[] {context()}) != 0;
    }

    /** The libtorch version DJL loaded, e.g. "2.7.1". */
    static String version() {
        Engine.getEngine("PyTorch");
        return LibUtils.getVersion();
    }

    private static Pointer context() {
        return function(GLOBAL_CONTEXT).invokePointer(new Object[0]);
    }

    private static Function function(String symbol) {
        Engine.getEngine("PyTorch");   // loads libtorch first; the JNA handle below is then the same library
        Path library = Path.of(LibUtils.getLibtorchPath()).resolve("libtorch_cpu.so");
        return NativeLibrary.getInstance(library.toString()).getFunction(symbol);
    }
}
