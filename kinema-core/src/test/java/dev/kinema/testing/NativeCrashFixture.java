package dev.kinema.testing;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import sun.misc.Unsafe;

/**
 * A test that crashes its JVM the way a bad native kernel does, for {@link NativeCrashReportTest}:
 * its {@link #main} runs it under the JUnit launcher in a child JVM. Not named *Test, so the suite
 * itself never runs it.
 */
public class NativeCrashFixture {
    @Test
    void writesToAddressZero() throws ReflectiveOperationException {
        Field f = Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        ((Unsafe) f.get(null)).putAddress(0, 0);   // SIGSEGV in native code, as a libtorch kernel fault
    }

    public static void main(String[] args) {
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(NativeCrashFixture.class)).build());
    }
}
