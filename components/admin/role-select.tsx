import { Select } from "@/components/ui/field";
import { ROLES } from "@/lib/access/permissions";

export function RoleSelect(props: {
  id?: string;
  name?: string;
  defaultValue: string;
  className?: string;
  "aria-label"?: string;
}) {
  return (
    <Select name="role" {...props}>
      {[...ROLES].reverse().map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </Select>
  );
}
