package ma3c.env.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import ma3c.env.client.EnvSession;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.ListGamesRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API answers as the service it embeds does. */
class EmbeddingTest {
  @Test
  void localGamesListWhatListGamesLists(@TempDir Path roms) throws Exception {
    try (EmbeddedEnvService service = EmbeddedEnvService.start(roms, 4, Duration.ofMinutes(1))) {
      ManagedChannel channel = service.channelBuilder().build();
      try {
        assertEquals(EnvironmentGrpc.newBlockingStub(channel)
                .listGames(ListGamesRequest.getDefaultInstance()).getGamesList(),
            new LocalGames(roms).games());
        try (EnvSession session = EnvSession.open(channel, LocalGames.CATCH,
            EnvConfig.newBuilder().setSeed(3).build())) {
          assertEquals(EnvDefaults.resolve(EnvConfig.newBuilder().setSeed(3).build()),
              session.spec().getConfig());
        }
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aLocalEnvStepsAsASessionDoes(@TempDir Path roms) throws Exception {
    LocalGames games = new LocalGames(roms);
    try (LocalEnv env = games.open(LocalGames.CATCH, EnvConfig.newBuilder().setSeed(1).build())) {
      assertEquals(3, env.spec().getActionCount());
      env.reset(OptionalLong.empty());
      env.step(0);
    }
    EnvException unknown = assertThrows(EnvException.class,
        () -> games.open("pong", EnvConfig.getDefaultInstance()));
    assertEquals(Status.Code.NOT_FOUND, unknown.code());
    assertTrue(games.stepsPerSecond(LocalGames.CATCH, EnvConfig.getDefaultInstance(), 1, 10, 100) > 0);
  }

  @Test
  void gameNamesAndRoms(@TempDir Path roms) {
    assertTrue(LocalGames.isGameName("space_invaders"));
    assertFalse(LocalGames.isGameName("Pong.bin"));
    assertNull(LocalGames.missingRom(roms, LocalGames.CATCH));
    assertTrue(LocalGames.missingRom(roms, "pong").contains("no ROM"));
    assertEquals(roms, LocalGames.romDir(roms));
  }
}
