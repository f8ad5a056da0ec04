package org.selfsup.augment.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.util.UserException;

/**
 * The device plans are derived from the plans' declarations (the CPU path's source): pinned against the
 * original recipes' numbers (methods.md §1.3, §2.2), with the options reaching them, and a plan with a
 * step the device has no op for is refused naming that step.
 */
class DevicePlanTest {
    private static DeviceViewRecipe weak(String n, double a, double b) {
        return new DeviceViewRecipe(n, null, a, b, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.1, 2.0, 0);
    }

    private static DeviceViewRecipe full(String n, double a, double b, double j, double h, double blur) {
        return new DeviceViewRecipe(n, null, a, b, 0.5, 0.8, j, j, j, h, 0.2, blur, 0.1, 2.0, 0);
    }

    private static DeviceViewRecipe addOn(String n, String source, double j, double h) {
        return new DeviceViewRecipe(n, source, 0, 0, 0, 0.8, j, j, j, h, 0.2, 0.5, 0.1, 2.0, 0);
    }

    @Test
    void derivedPlansHaveTheOriginalRecipesAndTheOptions() {
        for (PlanOptions o : List.of(PlanOptions.defaults(),
                PlanOptions.defaults().withCropScale(0.3, 0.9).withJitter(0.7, 0.2))) {
            double sm = o.scaleMin();
            double sx = o.scaleMax();
            double j = o.jitter();
            double h = o.hue();
            assertEquals(List.of(full("v1", sm, sx, j, h, 0.5), full("v2", sm, sx, j, h, 0.5)),
                    DevicePlan.create("byol", 32, o).views());
            assertEquals(List.of(full("v1", sm, sx, j, h, 0), full("v2", sm, sx, j, h, 0)),
                    DevicePlan.create("simsiam", 32, o).views());
            assertEquals(List.of(weak("w1", sm, sx), weak("w2", sm, sx), addOn("a1", "w1", j, h),
                    addOn("a2", "w2", j, h)), DevicePlan.create("rsa", 32, o).views());
            assertEquals(List.of(full("v1", sm, sx, j, h, 0.5), weak("v2", sm, sx)),
                    DevicePlan.create("rsa-aw", 32, o).views());
        }
        for (String name : DevicePlan.NAMES) {
            assertEquals(ViewPlans.viewNames(name), DevicePlan.create(name, 16).viewNames(), name);
        }
    }

    @Test
    void aStepWithoutADeviceOpIsRefusedByName() {
        assertTrue(DevicePlan.NAMES.containsAll(List.of("byol", "simsiam", "rsa", "rsa-aw")), DevicePlan.NAMES.toString());
        UserException e = assertThrows(UserException.class, () -> DevicePlan.create("dssl-cifar", 32));
        assertTrue(e.getMessage().startsWith("plan 'dssl-cifar' is not supported with augment-on device (view x11: "
                + "RandAug[n=2, m=9, relative=false] has no device op"), e.getMessage());
    }
}
