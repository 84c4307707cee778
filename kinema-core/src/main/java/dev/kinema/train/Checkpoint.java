package dev.kinema.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kinema.io.Checksums;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training checkpoint: everything a resumed run needs to continue exactly where the last epoch
 * ended, in one file written atomically (a crash or error mid-write leaves the previous
 * checkpoint as it was).
 *
 * <p>Layout: the UTF string {@code KINEMA-CHECKPOINT}, a format version (int), the {@link Header}
 * as length-prefixed JSON (configuration, labels, epochs done, updates done, metric history), the model's parameters as {@link Block#saveParameters} writes them (batch-norm
 * running statistics included), the optimiser's state ({@link StatefulOptimizer#save}), and the
 * UTF string {@code END}, so a cut-short file is recognised; then a checksum of all that
 * ({@link Checksums}), verified before anything is loaded, so a damaged file is refused by name
 * instead of resuming or predicting with changed numbers.
 *
 * <p>Random state needs no bytes of its own: every random choice in training derives from the seed
 * and the epoch (clips, crops, flips, shuffling, the engine's seed at the start of each epoch), so
 * epoch {@code n} of a resumed run draws what it would have drawn in one go.
 */
public final class Checkpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    static final String MAGIC = "KINEMA-CHECKPOINT";
    /** Version 2 added the checksum trailer ({@link Checksums}); version 1 files still load, unverified. */
    static final int VERSION = 2;
    private static final int UNCHECKED_VERSION = 1;
    private static final String END = "END";

    private Checkpoint() {}

    /**
     * What a checkpoint knows besides the tensors.
     *
     * @param config the run's configuration
     * @param labels class names in label order
     * @param epoch epochs completed
     * @param step optimiser updates completed (the learning-rate schedule's position)
     * @param history one entry per completed epoch, with its validation metrics (checkpoints
     *     written before tasks existed also hold the last classification result, which is ignored)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Header(TrainConfig config, List<String> labels, int epoch, long step, List<EpochMetrics> history) {
        public Header {
            labels = List.copyOf(labels);
            history = List.copyOf(history);
        }
    }

    /** Writes a checkpoint atomically and returns its absolute path. */
    public static Path write(Path file, Header header, Block model, StatefulOptimizer optimizer) throws IOException {
        return Checksums.write(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeUTF(MAGIC);
            data.writeInt(VERSION);
            byte[] json = RunDir.JSON.writeValueAsBytes(header);
            data.writeInt(json.length);
            data.write(json);
            model.saveParameters(data);
            optimizer.save(data);
            data.writeUTF(END);
            data.flush();
        });
    }

    /**
     * Makes {@code previous} the checkpoint now at {@code file} (a hard link, renamed into place, so
     * no bytes are copied and {@code previous} is always whole), before {@code file} is overwritten.
     * Does nothing when there is no checkpoint yet.
     */
    public static void keepAsPrevious(Path file, Path previous) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Path link = previous.resolveSibling("." + previous.getFileName() + ".link");
        Files.deleteIfExists(link);
        try {
            Files.createLink(link, file);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(file, link); // a file system without hard links
        }
        Files.move(link, previous, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads only the header. */
    public static Header readHeader(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            return header(file, in);
        } catch (EOFException e) {
            throw truncated(file);
        }
    }

    /**
     * Loads the parameters into {@code model} (which must be the architecture that was saved,
     * initialised) and, unless {@code optimizer} is null, the optimiser's state.
     *
     * @param manager the manager the loaded parameters belong to; parameters that train are
     *     marked as requiring gradients again
     * @return the header
     * @throws IOException naming the file, when it is not a checkpoint, is cut short, or holds
     *     another architecture or optimiser
     */
    public static Header load(Path file, Block model, NDManager manager, StatefulOptimizer optimizer) throws IOException {
        List<NDArray> replaced = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().isInitialized()) {
                replaced.add(p.getValue().getArray());
            }
        }
        Header header;
        try (DataInputStream in = open(file)) {
            header = header(file, in);
            try {
                model.loadParameters(manager, in);
            } catch (MalformedModelException | IllegalArgumentException e) {
                throw new IOException(file + ": the saved parameters do not fit model '" + header.config().model()
                        + "': " + e.getMessage(), e);
            }
            if (optimizer != null) {
                optimizer.load(in);
                if (!END.equals(in.readUTF())) {
                    throw new IOException(file + ": no end marker; the checkpoint is damaged");
                }
            }
        } catch (EOFException e) {
            throw truncated(file);
        }
        for (Pair<String, Parameter> p : model.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.requiresGradient()) {
                parameter.getArray().setRequiresGradient(true);
            }
        }
        for (NDArray old : replaced) {
            old.close();
        }
        return header;
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no checkpoint (has the run finished an epoch?)");
        }
        return new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    }

    private static Header header(Path file, DataInputStream in) throws IOException {
        String magic;
        try {
            magic = in.readUTF();
        } catch (IOException e) {
            magic = null;
        }
        if (!MAGIC.equals(magic)) {
            throw new IOException(file + ": not a Kinema checkpoint");
        }
        int version = in.readInt();
        if (version == VERSION) {
            // Checked here rather than before opening so that a file of another kind gets the message above.
            Checksums.verify(file);
        } else if (version == UNCHECKED_VERSION) {
            LOG.warn("{}: written by an older Kinema, without a checksum: loaded unverified", file);
        } else {
            throw new IOException(file + ": checkpoint format " + version + ", this Kinema reads " + UNCHECKED_VERSION
                    + " and " + VERSION);
        }
        int length = in.readInt();
        if (length < 0 || length > (64 << 20)) {
            throw new IOException(file + ": damaged checkpoint header (length " + length + ")");
        }
        byte[] json = new byte[length];
        in.readFully(json);
        return RunDir.JSON.readValue(json, Header.class);
    }

    private static IOException truncated(Path file) {
        return new IOException(file + ": the checkpoint is cut short");
    }
}
