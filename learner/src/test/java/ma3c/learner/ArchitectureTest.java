package ma3c.learner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import ma3c.cli.security.ClientSecurity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering docs/ARCHITECTURE.md draws, as rules: a change that breaks it fails here, with the
 * offending dependency named.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // The other modules' test jars (fixtures such as TestRoms) are not part of the product.
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("ma3c");
  }

  @Test
  void noCyclesBetweenTheLearnersPackages() {
    slices().matching("ma3c.learner.(**)").should().beFreeOfCycles().check(main);
  }

  /** The command line (LearnerMain) is the top: no package of the learner depends on it. */
  @Test
  void nothingDependsOnTheCommandLinesRoot() {
    noClasses().that().resideOutsideOfPackage("ma3c.learner").should().dependOnClassesThat()
        .resideInAPackage("ma3c.learner").check(main);
  }

  /** Nor anywhere in the modules the learner is built on (all but the policy server, its own test). */
  @Test
  void noCyclesBetweenAnyPackages() {
    slices().matching("ma3c.(**)").should().beFreeOfCycles().check(main);
  }

  /** Algorithm 1 and what it needs: the net, the contract's messages, the env it plays. */
  @Test
  void algoIsAlgorithmOneAndNothingElse() {
    classes().that().resideInAPackage("ma3c.learner.algo..").should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "ma3c.learner.algo..", "ma3c.model..", "ma3c.env.v1..",
            "ma3c.learner.env..", "org.slf4j..")
        .check(main);
  }

  /** The env service is reached through its embedding API, the contract and the client only. */
  @Test
  void theLearnerSeesTheEnvServiceOnlyThroughItsEmbeddingApi() {
    noClasses().that().resideInAPackage("ma3c.learner..").should().dependOnClassesThat()
        .resideInAnyPackage("ma3c.env.session..", "ma3c.env.ale..", "ma3c.env.service..",
            "ma3c.env.bench..", "org.bytedeco..")
        .check(main);
  }

  /** Reading runs and playing ONNX policies need no emulator and no learner. */
  @Test
  void theDashboardAndTheRunFormatNeverSeeTheEmulatorOrTheLearner() {
    noClasses().that().resideInAnyPackage("ma3c.dashboard..", "ma3c.runformat..").should()
        .dependOnClassesThat().resideInAnyPackage("ma3c.env..", "org.bytedeco..", "ma3c.learner..")
        .check(main);
  }

  /**
   * The run loop does not know the command line; commands sit on top of the training API. (A
   * run's env credentials, ClientSecurity, are a plain record the clients of every module share.)
   */
  @Test
  void trainingDoesNotKnowTheCommandLine() {
    noClasses().that().resideInAnyPackage("ma3c.learner.algo..", "ma3c.learner.run..",
            "ma3c.learner.distill..", "ma3c.learner.env..", "ma3c.learner.monitor..",
            "ma3c.learner.allocation..")
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("picocli..", "ma3c.cli..")
            .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(ClientSecurity.class))))
        .check(main);
  }
}
