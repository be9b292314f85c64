package ma3c.policy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The policy server serves exported ONNX policies: no emulator, no learner, no cycles. */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("ma3c");

  @Test
  void thePolicyServerNeverSeesTheEmulatorOrTheLearner() {
    noClasses().that().resideInAPackage("ma3c.policy..").should().dependOnClassesThat()
        .resideInAnyPackage("ma3c.env..", "org.bytedeco..", "ma3c.learner..", "org.nd4j..")
        .check(MAIN);
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("ma3c.(**)").should().beFreeOfCycles().check(MAIN);
  }
}
