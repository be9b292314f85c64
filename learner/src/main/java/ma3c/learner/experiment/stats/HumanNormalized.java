package ma3c.learner.experiment.stats;

import java.util.Map;

/**
 * Human-normalized Atari scores: (score - random) / (human - random), 0 for a random agent and 1
 * for a professional human tester, so that games scored in points of very different sizes can be
 * pooled (an IQM over Pong and Phoenix).
 *
 * <p>The random and human scores of the 57 Atari games that Atari results are normalized by,
 * copied from DeepMind's DQN Zoo, dqn_zoo/atari_data.py (Quan &amp; Ostrovski 2020,
 * github.com/google-deepmind/dqn_zoo): each the mean of at least 3 episodes after 1 to 30 no-op
 * starts, capped at 108,000 frames. Keyed by ALE ROM name, as our games are.
 */
public final class HumanNormalized {
  /** Where the table comes from, for the report to say. */
  public static final String SOURCE = "DeepMind's DQN Zoo, dqn_zoo/atari_data.py (Quan & Ostrovski 2020), "
      + "the Atari-57 random and human scores";

  /** A game's two reference scores. */
  public record Reference(double random, double human) {}

  private static final Map<String, Reference> TABLE = Map.ofEntries(
      Map.entry("alien", new Reference(227.8, 7127.7)),
      Map.entry("amidar", new Reference(5.8, 1719.5)),
      Map.entry("assault", new Reference(222.4, 742.0)),
      Map.entry("asterix", new Reference(210.0, 8503.3)),
      Map.entry("asteroids", new Reference(719.1, 47388.7)),
      Map.entry("atlantis", new Reference(12850.0, 29028.1)),
      Map.entry("bank_heist", new Reference(14.2, 753.1)),
      Map.entry("battle_zone", new Reference(2360.0, 37187.5)),
      Map.entry("beam_rider", new Reference(363.9, 16926.5)),
      Map.entry("berzerk", new Reference(123.7, 2630.4)),
      Map.entry("bowling", new Reference(23.1, 160.7)),
      Map.entry("boxing", new Reference(0.1, 12.1)),
      Map.entry("breakout", new Reference(1.7, 30.5)),
      Map.entry("centipede", new Reference(2090.9, 12017.0)),
      Map.entry("chopper_command", new Reference(811.0, 7387.8)),
      Map.entry("crazy_climber", new Reference(10780.5, 35829.4)),
      Map.entry("defender", new Reference(2874.5, 18688.9)),
      Map.entry("demon_attack", new Reference(152.1, 1971.0)),
      Map.entry("double_dunk", new Reference(-18.6, -16.4)),
      Map.entry("enduro", new Reference(0.0, 860.5)),
      Map.entry("fishing_derby", new Reference(-91.7, -38.7)),
      Map.entry("freeway", new Reference(0.0, 29.6)),
      Map.entry("frostbite", new Reference(65.2, 4334.7)),
      Map.entry("gopher", new Reference(257.6, 2412.5)),
      Map.entry("gravitar", new Reference(173.0, 3351.4)),
      Map.entry("hero", new Reference(1027.0, 30826.4)),
      Map.entry("ice_hockey", new Reference(-11.2, 0.9)),
      Map.entry("jamesbond", new Reference(29.0, 302.8)),
      Map.entry("kangaroo", new Reference(52.0, 3035.0)),
      Map.entry("krull", new Reference(1598.0, 2665.5)),
      Map.entry("kung_fu_master", new Reference(258.5, 22736.3)),
      Map.entry("montezuma_revenge", new Reference(0.0, 4753.3)),
      Map.entry("ms_pacman", new Reference(307.3, 6951.6)),
      Map.entry("name_this_game", new Reference(2292.3, 8049.0)),
      Map.entry("phoenix", new Reference(761.4, 7242.6)),
      Map.entry("pitfall", new Reference(-229.4, 6463.7)),
      Map.entry("pong", new Reference(-20.7, 14.6)),
      Map.entry("private_eye", new Reference(24.9, 69571.3)),
      Map.entry("qbert", new Reference(163.9, 13455.0)),
      Map.entry("riverraid", new Reference(1338.5, 17118.0)),
      Map.entry("road_runner", new Reference(11.5, 7845.0)),
      Map.entry("robotank", new Reference(2.2, 11.9)),
      Map.entry("seaquest", new Reference(68.4, 42054.7)),
      Map.entry("skiing", new Reference(-17098.1, -4336.9)),
      Map.entry("solaris", new Reference(1236.3, 12326.7)),
      Map.entry("space_invaders", new Reference(148.0, 1668.7)),
      Map.entry("star_gunner", new Reference(664.0, 10250.0)),
      Map.entry("surround", new Reference(-10.0, 6.5)),
      Map.entry("tennis", new Reference(-23.8, -8.3)),
      Map.entry("time_pilot", new Reference(3568.0, 5229.2)),
      Map.entry("tutankham", new Reference(11.4, 167.6)),
      Map.entry("up_n_down", new Reference(533.4, 11693.2)),
      Map.entry("venture", new Reference(0.0, 1187.5)),
      Map.entry("video_pinball", new Reference(16256.9, 17667.9)),
      Map.entry("wizard_of_wor", new Reference(563.5, 4756.5)),
      Map.entry("yars_revenge", new Reference(3092.9, 54576.9)),
      Map.entry("zaxxon", new Reference(32.5, 9173.3)));

  private HumanNormalized() {}

  /** The game's reference scores, or null for a game outside the Atari 57 (catch). */
  public static Reference reference(String game) {
    return TABLE.get(game);
  }

  public static double score(String game, double score) {
    Reference r = TABLE.get(game);
    if (r == null) {
      throw new IllegalArgumentException("no random and human score for " + game);
    }
    return (score - r.random()) / (r.human() - r.random());
  }
}
