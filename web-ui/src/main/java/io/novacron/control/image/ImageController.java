package io.novacron.control.image;

import io.novacron.control.shared.ConflictException;
import io.novacron.control.shared.InvalidRequestException;
import io.novacron.control.shared.NotFoundException;
import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.novacron.control.shared.RunLauncher;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.image.ImageRegistration;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.image.ImageRegistrationValidator;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The image library: register, list, read and delete base images. Registering records the image
 * and its digest only; a node gets its copy on first use (docs/images.md).
 */
@RestController
@RequestMapping("/api/v1/images")
class ImageController {
  private final ImageCatalog catalog;
  private final ImageUrlAllowlist allowlist;
  private final Clock clock;
  private final RunLauncher launcher;

  ImageController(ImageCatalog catalog, ImageUrlAllowlist allowlist, Clock clock, RunLauncher launcher) {
    this.catalog = catalog;
    this.allowlist = allowlist;
    this.clock = clock;
    this.launcher = launcher;
  }

  /**
   * Registers an image: {@code {name, format, sha256, url}} or {@code {name, format, sha256, node,
   * path}} (optional {@code sizeBytes}). 201 with the image; for a node file also with
   * {@code importRunId}, the run in which that node's agent verifies the file's digest and copies
   * it into its library. The same registration again is a 200
   * with it (a retry changes nothing); another registration under a registered name is a 409.
   * 400 names each bad field: name, format (qcow2|raw), sha256 (64 lower-case hex), a URL that is
   * not http(s) or whose host is not in {@code novacron.images.allowed-url-hosts}, an unknown node
   * or a path that is not absolute.
   */
  @PostMapping
  ResponseEntity<ImageView> register(@RequestBody(required = false) ImageRegistration request) {
    List<FieldError> errors = new ArrayList<>(ImageRegistrationValidator.validate(request, allowlist.hosts()));
    if (errors.isEmpty() && !request.fromUrl() && !catalog.nodeKnown(request.node())) {
      errors.add(new FieldError("node", "'" + request.node() + "' is not a known node; pick one of GET /api/v1/nodes"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    boolean created = catalog.insert(request, clock.instant());
    ImageView image = catalog.find(request.name()).orElseThrow();
    if (created) {
      if (!request.fromUrl()) {
        // The node's agent checks the file now, so a wrong digest or path shows at once, not at first use.
        image = image.withImportRun(launcher.importImage(new ImageSource(ImageSource.Kind.IMPORT, image.name(),
            image.format(), image.sha256(), image.sizeBytes() == null ? 0 : image.sizeBytes(), image.node(), null,
            image.path(), null, null)));
      }
      return ResponseEntity.created(URI.create("/api/v1/images/" + image.name())).body(image);
    }
    if (!sameRegistration(image, request)) {
      throw new ConflictException("an image named '" + request.name() + "' is registered with another "
          + "format, digest, size or source; delete it first (DELETE /api/v1/images/" + request.name()
          + ") or choose another name");
    }
    return ResponseEntity.ok(image);
  }

  /**
   * The registered images by name, one page as a plain JSON array with the total in
   * {@code X-Total-Count}. 400 names a bad {@code page} or {@code size}.
   */
  @GetMapping
  ResponseEntity<List<ImageView>> list(
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    Paging paging = Paging.of(page, size);
    return Paging.response(catalog.page(paging.size(), paging.offset()), catalog.count());
  }

  /** One image. 404 for an image that is not registered. */
  @GetMapping("/{name}")
  ImageView get(@PathVariable String name) {
    return catalog.find(name).orElseThrow(() -> notFound(name));
  }

  /**
   * Deletes the registration: 204. Nodes keep their cached copies (VM overlays on them need
   * them); no new node pulls it. 409 while a VM record uses the image, naming the VMs; 404 for an
   * image that is not registered, so a repeated delete is a 404 and changes nothing, as for VMs.
   */
  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(@PathVariable String name) {
    ImageCatalog.Deletion deletion = catalog.deleteUnlessUsed(name);
    if (deletion.deleted()) {
      return ResponseEntity.noContent().build();
    }
    if (!deletion.usedBy().isEmpty()) {
      throw new ConflictException("image '" + name + "' is used by VM" + (deletion.usedBy().size() == 1 ? " " : "s ")
          + String.join(", ", deletion.usedBy()) + "; delete " + (deletion.usedBy().size() == 1 ? "it" : "them")
          + " first (DELETE /api/v1/vms/{name})");
    }
    throw notFound(name);
  }

  private static boolean sameRegistration(ImageView image, ImageRegistration r) {
    return image.format().equals(r.format()) && image.sha256().equals(r.sha256())
        && Objects.equals(image.sizeBytes(), r.sizeBytes())
        && Objects.equals(image.url(), r.fromUrl() ? r.url() : null)
        && Objects.equals(image.node(), r.fromUrl() ? null : r.node())
        && Objects.equals(image.path(), r.fromUrl() ? null : r.path());
  }

  private static NotFoundException notFound(String name) {
    return new NotFoundException("no image named '" + name + "' is registered; see GET /api/v1/images");
  }
}
