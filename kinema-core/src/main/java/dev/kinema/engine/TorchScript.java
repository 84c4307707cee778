package dev.kinema.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * TorchScript models ({@code torch.jit.trace(...).save} or {@code torch.jit.script}), run by
 * libtorch through DJL's PyTorch engine as they are: the file holds the code and the weights.
 *
 * <p>A TorchScript file is a zip archive with a {@code code/} folder, a {@code data.pkl}, a
 * {@code constants.pkl} and a {@code version} record; the archive is checked before libtorch sees
 * it, so a plain {@code torch.save} checkpoint (a zip without {@code code/}, or a legacy pickle) or
 * a truncated file is refused with a reason instead of a native error. libtorch 2.7.1 reads the
 * files of older torch versions (1.13's are tested); a file from a newer torch that uses an
 * operator or a file format version libtorch does not know is refused at load with libtorch's
 * message (see docs/weights.md).
 */
public final class TorchScript {
    private TorchScript() {}

    /**
     * Loads {@code file} on the CPU, in inference mode; the model is closed with {@code manager}.
     *
     * @throws IOException naming the file and why it cannot be loaded
     */
    public static Block load(Path file, NDManager manager) throws IOException {
        checkArchive(file);
        EngineGuard.ensureApplied();   // before any of the module's convolutions can run
        Model model = Model.newInstance(file.getFileName().toString(), Device.cpu(), "PyTorch");
        try {
            model.load(file.toAbsolutePath());
        } catch (MalformedModelException | EngineException | IOException e) {
            model.close();
            throw new IOException(file + ": libtorch " + LibTorchContext.version() + " cannot load this TorchScript file: "
                    + firstLine(e.getMessage()), e);
        }
        manager.attachInternal("torchscript-" + System.identityHashCode(model), model);
        return model.getBlock();
    }

    /**
     * The torch file format version the archive records (its {@code version} entry), e.g. 3 for
     * torch 1.13's traced modules.
     *
     * @throws IOException when the file is not a TorchScript archive, naming it and the reason
     */
    public static int formatVersion(Path file) throws IOException {
        return checkArchive(file);
    }

    private static int checkArchive(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such TorchScript file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            boolean code = false;
            ZipEntry version = null;
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                // Entries sit under one root folder named after the archive: ROOT/code/..., ROOT/version.
                String inRoot = name.substring(name.indexOf('/') + 1);
                code |= inRoot.startsWith("code/");
                if (inRoot.equals("version") || inRoot.equals(".data/version")) {
                    version = e;
                }
            }
            if (!code) {
                throw new IOException(file + ": a torch.save checkpoint (a state_dict or a pickled module), not"
                        + " TorchScript: save the model with torch.jit.trace(model, x).save(...) or torch.jit.script");
            }
            if (version == null) {
                throw new IOException(file + ": not a TorchScript file (the archive has no version record)");
            }
            String v = new String(zip.getInputStream(version).readAllBytes(), StandardCharsets.US_ASCII).strip();
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": not a TorchScript file (its version record is '" + v + "')");
            }
        } catch (ZipException e) {
            throw new IOException(file + ": not a TorchScript file (not a complete zip archive: truncated, or a"
                    + " legacy torch.save pickle)", e);
        }
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
