package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {
  @TempDir Path data;

  @Test
  void theEnvironmentVariableWinsThenTheNamedFileThenTheLaunchersFile() throws IOException {
    Files.writeString(data.resolve("admin-token"), "nct_from_launcher\n");
    Path named = Files.writeString(data.resolve("mine"), "nct_from_file\n");
    String dir = data.toString();

    assertThat(ApiToken.from(Map.of("NOVACRON_TOKEN", "nct_env", "NOVACRON_TOKEN_FILE", named.toString(),
        "NOVACRON_DATA_DIR", dir))).contains(new ApiToken("nct_env", "NOVACRON_TOKEN"));
    assertThat(ApiToken.from(Map.of("NOVACRON_TOKEN_FILE", named.toString(), "NOVACRON_DATA_DIR", dir)))
        .hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("nct_from_file"));
    assertThat(ApiToken.from(Map.of("NOVACRON_DATA_DIR", dir)))
        .hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("nct_from_launcher"));
  }

  @Test
  void noTokenAnywhereIsEmptyAndAMissingNamedFileIsNamed() throws IOException {
    assertThat(ApiToken.from(Map.of("NOVACRON_DATA_DIR", data.toString()))).isEmpty();
    assertThatThrownBy(() -> ApiToken.from(Map.of("NOVACRON_TOKEN_FILE", data.resolve("absent").toString())))
        .hasMessageContaining("NOVACRON_TOKEN_FILE").hasMessageContaining("absent");
  }
}
